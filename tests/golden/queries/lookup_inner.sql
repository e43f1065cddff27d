-- Lookup join (INNER) of a stream with a bounded table read whole (FOR SYSTEM_TIME AS OF: the
-- table has one version, the time selects nothing). Table lookup_table.json: 1 one, 2 two,
-- 2 deux (a duplicate key: both rows match), NULL nothing (a NULL key never matches), 4 NULL,
-- an empty line (skipped), 5 five (no stream row). Stream: id 1 k 1 -> one; id 2 k 2 -> two,
-- deux; id 3 k 3 -> no row; id 4 k NULL -> no row (NULL = x is not true); id 5 k 4 -> value
-- NULL; id 6 k 2 -> two, deux. Output order is the stream's, then the table file's.
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
SELECT s.id, s.k, t.key AS tkey, t.value
FROM s JOIN t FOR SYSTEM_TIME AS OF now() AS t ON s.k = t.key;
