-- WHERE keeps a row only when the condition is TRUE (NULL drops it). With p = a > 1 and
-- q = b > 2 (truth table in three_valued_logic.sql):
--   p OR q is T for ids 1 3 5;  NOT (p AND q) is T for ids 2 4 5 (id 3: NOT NULL = NULL);
--   a <> 5 (NULL for ids 3 6) is T for ids 2 4 5.
CREATE TABLE t (
  id BIGINT NOT NULL,
  a BIGINT,
  b BIGINT,
  x DOUBLE,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/nums.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out (
  id BIGINT,
  rule TEXT
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id, 'or' FROM t WHERE a > 1 OR b > 2;
INSERT INTO out SELECT id, 'not_and' FROM t WHERE NOT (a > 1 AND b > 2);
INSERT INTO out SELECT id, 'ne' FROM t WHERE a <> 5;
