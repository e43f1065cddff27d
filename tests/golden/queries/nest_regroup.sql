-- Nested aggregation, re-grouped: the inner TUMBLE(1 minute) per-name counts n are grouped
-- again by (the same 1-minute tumble, n): how many names had n events in each minute. The
-- inner results carry their window's time, so the outer tumble of the same width puts each
-- into the same minute (as Arroyo's reinvoke_window_function).
-- Expected output: tests/golden/issue3_oracle.py, SQLite: inner GROUP BY minute, name, then
-- GROUP BY minute, n; independent of arroyo-c.
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
SELECT window.start AS ws, n, names
FROM (
  SELECT tumble(interval '1 minute') AS window, n, count(*) AS names
  FROM (
    SELECT tumble(interval '1 minute') AS window, name, count(*) AS n
    FROM ev
    GROUP BY 1, 2
  )
  GROUP BY 1, 2
);
