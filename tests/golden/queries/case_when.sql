-- Searched CASE (a NULL condition is not taken), CASE without ELSE (NULL when nothing
-- matches), simple CASE (NULL operand matches no WHEN, so ELSE).
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

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT id,
  CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero-or-null' END AS sign,
  CASE WHEN a > 0 THEN a END AS pos_a,
  CASE b WHEN 2 THEN 'two' WHEN 3 THEN 'three' ELSE 'other' END AS b_name
FROM t;
