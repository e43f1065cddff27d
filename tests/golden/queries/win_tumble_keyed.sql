-- TUMBLE(1 minute) per key, GROUP BY by position (1, 2); count(*), count(v), sum, min, max,
-- avg over win_events.json (in event-time order, WATERMARK FOR ts with zero delay).
-- Windows are [floor(ts / 1 min) * 1 min, + 1 min): 10:00:59.500 is in 10:00, 10:01:00 in
-- 10:01. Nothing happens at 10:02 and 10:03, so those windows give no rows. A NULL name is a
-- group of its own; dave's only v is NULL, so his count(v) is 0 and sum/min/max/avg are null.
-- Expected output: computed by tests/golden/issue3_oracle.py with SQLite (GROUP BY
-- (ts / 60e9) * 60e9, name over the input file), independently of arroyo-c.
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
SELECT window.start AS ws, window.end AS we, name, cnt, n_v, total, lo, hi, mean
FROM (
  SELECT tumble(interval '1 minute') AS window, name,
         count(*) AS cnt, count(v) AS n_v, sum(v) AS total, min(v) AS lo, max(v) AS hi,
         avg(v) AS mean
  FROM ev
  GROUP BY 1, 2
);
