-- Lookup join on a TEXT key, with duplicates: s.name = t.value. 'one' -> 1; 'deux' -> 2;
-- 'three', 'nothing' (the table's 'nothing' row has a NULL key, but the key here is value:
-- it matches) ; NULL name (id 5) matches nothing; 'two' -> 2.
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
SELECT s.id, t.key AS tkey
FROM s INNER JOIN t FOR SYSTEM_TIME AS OF now() ON t.value = s.name;
