-- Lookup join on an expression key and a residual condition, LEFT: key s.id % 3 (1, 2, 0, 1, 2,
-- 0) = t.key, and t.value <> s.name (a residual over both sides, checked per matching table
-- row; NULL <> x is not true). id 1 -> key 1 'one' = name 'one': fails, no other row -> NULL;
-- id 2 (name deux) -> key 2: 'two' passes, 'deux' fails; id 3, 6 -> key 0: none -> NULL;
-- id 4 (nothing) -> key 1 'one' passes; id 5 (name NULL) -> key 2: both residuals NULL -> NULL.
CREATE TABLE s (
  id BIGINT NOT NULL,
  k BIGINT,
  name TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/lookup_stream.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE t (
  key BIGINT,
  value TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/lookup_table.json',
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
SELECT s.id, t.value
FROM s LEFT JOIN t FOR SYSTEM_TIME AS OF now() ON s.id % 3 = t.key AND t.value <> s.name;
