-- Several window functions sharing one OVER clause (one frame stage): sum, count(x), count(*),
-- min of a timestamp, max and avg over the 2 preceding rows and the current one per k, ordered
-- by a TEXT column DESC (NULLs first), ties in arrival order.
-- Expected final state: tests/golden/topn_oracle.py (SQLite, with the arrival position as the
-- last ORDER BY key; timestamps as Unix milliseconds, as the debezium_json sink writes them).
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
SELECT id, k, a,
  sum(a) OVER (PARTITION BY k ORDER BY b DESC ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s,
  count(a) OVER (PARTITION BY k ORDER BY b DESC ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS n,
  count(*) OVER (PARTITION BY k ORDER BY b DESC ROWS 2 PRECEDING) AS rows_in_frame,
  min(ts) OVER (PARTITION BY k ORDER BY b DESC ROWS 2 PRECEDING) AS first_ts,
  max(a) OVER (PARTITION BY k ORDER BY b DESC ROWS 2 PRECEDING) AS mx,
  avg(a) OVER (PARTITION BY k ORDER BY b DESC ROWS 2 PRECEDING) AS av
FROM t;
