-- Aggregate FILTER (WHERE ...) clauses on count(v), sum, max and avg in a TUMBLE(1 minute)
-- without a key (count(*) FILTER is in agg_filter_count_star). In 10:04 and 10:05 no row is
-- bob's: count(v) FILTER gives 0 and sum(v) FILTER gives NULL. The NULL name at 10:04:30
-- fails name <> 'alice' (NULL), so max_other there is Carol's 2, not 8. avg(v) FILTER
-- (WHERE v > 2) in 10:01 averages 10, 7, 5, 7 = 7.25.
-- Expected output: tests/golden/issue3_oracle.py, SQLite (which has the same FILTER clause)
-- over win_events.json; independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_events.json',
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
SELECT window.start AS ws, all_rows, bob_vals, bob_sum, max_other, avg_big
FROM (
  SELECT tumble(interval '1 minute') AS window,
         count(*) AS all_rows,
         count(v) FILTER (WHERE name = 'bob') AS bob_vals,
         sum(v) FILTER (WHERE name = 'bob') AS bob_sum,
         max(v) FILTER (WHERE name <> 'alice') AS max_other,
         avg(v) FILTER (WHERE v > 2) AS avg_big
  FROM ev
  GROUP BY 1
);
