-- UNION ALL of three sources keeps duplicates (union_b has id 1 twice). The third branch
-- keeps id > 1 and multiplies by 10 (20 40). Column names come from the sink.
CREATE TABLE ua (
  id BIGINT,
  v TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/union_a.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE ub (
  id BIGINT,
  v TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/union_b.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE uc (
  id BIGINT,
  v TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/union_c.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out (
  id BIGINT,
  src TEXT,
  v TEXT
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT id, 'a', v FROM ua
UNION ALL
SELECT id, 'b', v FROM ub
UNION ALL
SELECT id * 10, 'c', v FROM uc WHERE id > 1;
