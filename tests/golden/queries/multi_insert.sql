-- Three INSERTs into one sink: a > 0 (ids 1 5), a < 0 (id 2), a IS NULL (ids 3 6, id 6
-- has no "a" key at all). id 4 (a = 0) matches none.
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
  kind TEXT
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id, 'pos' FROM t WHERE a > 0;
INSERT INTO out SELECT id, 'neg' FROM t WHERE a < 0;
INSERT INTO out SELECT id, 'null' FROM t WHERE a IS NULL;
