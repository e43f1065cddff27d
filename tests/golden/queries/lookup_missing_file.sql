--fail=cannot open
-- The lookup table's file does not exist: the worker stops with an error naming the table and
-- the path when the first stream row probes it.
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
  path = '/nonexistent/arroyo-lookup-table.json',
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
FROM s JOIN t FOR SYSTEM_TIME AS OF now() ON s.k = t.key;
