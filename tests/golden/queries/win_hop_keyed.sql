-- HOP(slide 30 s, width 1 minute) per key over win_events.json: windows end at multiples of
-- 30 s and hold [end - 1 min, end), so every event is in two windows. Windows with no event
-- (e.g. ending 10:03:00 .. 10:04:00) give no rows; a NULL name is its own group.
-- WATERMARK FOR ts AS ts - 5 s (input is in order; nothing is late).
-- Expected output: tests/golden/issue3_oracle.py: Python lists each row's window ends
-- (multiples of 30 s with end - 60 s <= ts < end), SQLite joins and groups by (end, name);
-- independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '5 seconds'
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
SELECT window.start AS ws, window.end AS we, name, cnt, total
FROM (
  SELECT hop(interval '30 seconds', interval '1 minute') AS window, name,
         count(*) AS cnt, sum(v) AS total
  FROM ev
  GROUP BY window, name
);
