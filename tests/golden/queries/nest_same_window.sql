-- Nested aggregation, same window: the outer query groups the inner TUMBLE(1 minute)
-- per-name counts by the inner window column itself (GROUP BY window), as Arroyo allows
-- ("using the window field of the input"): names per minute, their total rows, the largest.
-- Expected output: tests/golden/issue3_oracle.py, SQLite: an inner GROUP BY minute, name
-- table, then GROUP BY minute over it; independent of arroyo-c.
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
SELECT window.start AS ws, window.end AS we, names, total_rows, busiest
FROM (
  SELECT window, count(*) AS names, sum(n) AS total_rows, max(n) AS busiest
  FROM (
    SELECT tumble(interval '1 minute') AS window, name, count(*) AS n
    FROM ev
    GROUP BY 1, 2
  )
  GROUP BY window
);
