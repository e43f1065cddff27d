-- Ties: ORDER BY a alone, with many equal values; rows that tie keep their arrival order
-- (the file's order), with the row number in the output and a second condition in the filter.
-- Expected final state: tests/golden/topn_oracle.py (SQLite's ROW_NUMBER over all rows, with
-- the arrival position appended to ORDER BY).
CREATE TABLE t (
  id BIGINT NOT NULL,
  k TEXT,
  g BIGINT,
  a BIGINT,
  b TEXT,
  ts TIMESTAMP
) WITH (
  connector = 'single_file',
  path = '$input_dir/topn_rows.json',
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
SELECT k, a, id, rnk FROM (
  SELECT k, a, id, ROW_NUMBER() OVER (PARTITION BY k ORDER BY a) AS rnk FROM t
) WHERE rnk <= 2 AND a IS NOT NULL;
