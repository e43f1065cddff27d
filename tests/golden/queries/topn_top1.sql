-- Updating top-1 (ROW_NUMBER() without a window, rn = 1): the row with the largest a per k,
-- NULL a first (DESC puts NULLs first, as PostgreSQL and DataFusion), ties in arrival order.
-- The row number is not selected, so only rows entering and leaving the top 1 are emitted.
-- Expected final state: tests/golden/topn_oracle.py (SQLite's ROW_NUMBER over all rows).
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
SELECT id, k, a FROM (
  SELECT id, k, a, ROW_NUMBER() OVER (PARTITION BY k ORDER BY a DESC) AS rn FROM t
) WHERE rn = 1;
