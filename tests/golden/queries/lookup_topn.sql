--pk=tkey
-- Updating top-1 (ROW_NUMBER() without a window) over a lookup join whose stream input is an
-- inner updating join of append-only inputs (a self-join of lookup_stream.json on id): every
-- input only inserts and the lookup table never changes, so the top-N's input only inserts
-- (compiler/over.c over_only_inserts) and the query is accepted.
-- Expected final state, by hand: the self-join gives each stream row once (ids are unique);
-- the lookup (as in lookup_inner.sql) gives id 1 -> 1 one; id 2 -> 2 two, 2 deux; id 5 ->
-- 4 NULL; id 6 -> 2 two, 2 deux; ids 3 (no table row) and 4 (NULL key) give nothing. Top 1
-- per tkey by id DESC, ties in arrival order (the table file's order): tkey 1 -> id 1 one,
-- tkey 4 -> id 5 NULL, tkey 2 -> id 6 two (id 6 replaces id 2; deux ties with two and
-- arrives later).
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
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT id, tkey, value FROM (
  SELECT j.id, t.key AS tkey, t.value,
         ROW_NUMBER() OVER (PARTITION BY t.key ORDER BY j.id DESC) AS rn
  FROM (SELECT a.id, a.k FROM s AS a JOIN s AS b ON a.id = b.id) AS j
  JOIN t FOR SYSTEM_TIME AS OF now() AS t ON j.k = t.key
) WHERE rn = 1;
