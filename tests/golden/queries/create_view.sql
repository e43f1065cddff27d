-- Views over views. big keeps rows with a non-NULL a (ids 1 2 4 5) and computes a10 = a * 10
-- (50 -70 0 20); nonzero drops a10 = 0 (id 4); the INSERT keeps a10 > -100 (all three).
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

CREATE VIEW big AS SELECT id, a * 10 AS a10, s FROM t WHERE a IS NOT NULL;
CREATE VIEW nonzero AS SELECT * FROM big WHERE a10 <> 0;

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id, a10, upper(s) AS s_up FROM nonzero WHERE a10 > -100;
