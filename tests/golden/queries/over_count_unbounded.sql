-- Window frame whose ORDER BY is not the arrival order: count(*) over all preceding rows per g,
-- ordered by a DESC (NULLs first). A row that lands in the middle of its partition retracts and
-- re-emits every later row (their counts grow); ties on a keep arrival order.
-- Expected final state: tests/golden/topn_oracle.py (SQLite, with the arrival position as the
-- last ORDER BY key).
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
SELECT id, g, a, count(*) OVER (PARTITION BY g ORDER BY a DESC ROWS UNBOUNDED PRECEDING) AS n
FROM t;
