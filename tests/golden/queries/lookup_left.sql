-- Lookup join, LEFT: as lookup_inner, and a stream row with no match (id 3, k 3) or a NULL key
-- (id 4: NULL matches nothing, not even the table's NULL-key row) keeps its columns with the
-- table's NULL.
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
SELECT s.id, t.key AS tkey, t.value
FROM s LEFT JOIN t FOR SYSTEM_TIME AS OF now() ON s.k = t.key;
