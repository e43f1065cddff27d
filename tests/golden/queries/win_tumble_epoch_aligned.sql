-- TUMBLE(7 minutes) without a key over win_sparse.json. Windows are aligned to the Unix
-- epoch, not to the hour: 10:04:00 is a multiple of 7 minutes since 1970-01-01 (1709287440 s =
-- 4069732 * 420 s), so the windows are [09:57, 10:04), [10:04, 10:11), [10:11, 10:18), ...
-- 10:03:59.999 falls in the first, 10:04:00 in the second. There is no data from 10:11:00 to
-- 10:55:00: those windows give no rows. sum(v) skips the NULL v at 11:02:31.
-- event_time_field (no WATERMARK clause): watermark = max(ts) - 1 s; input is in order.
-- Expected output: tests/golden/issue3_oracle.py, SQLite GROUP BY (ts / 420e9) * 420e9 over
-- epoch nanoseconds, independently of arroyo-c.
CREATE TABLE sparse (
  ts TIMESTAMP,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_sparse.json',
  format = 'json',
  type = 'source',
  event_time_field = 'ts'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT window.start AS ws, window.end AS we, n, total
FROM (
  SELECT tumble(interval '7 minutes') AS window, count(*) AS n, sum(v) AS total
  FROM sparse
  GROUP BY window
);
