-- Window frame over an append-only input arriving in ORDER BY order (ts grows with the row):
-- sum(a) over the 2 preceding rows and the current one, per k; NULL a is not summed, a frame
-- of NULLs sums to NULL. Every row gets one insertion; the output is updating (debezium).
-- Expected final state: tests/golden/topn_oracle.py (SQLite's window function over all rows).
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
SELECT id, k, a, sum(a) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s
FROM t;
