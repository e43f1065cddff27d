-- Out-of-order rows within the watermark delay are NOT late and are counted in their
-- (still open) windows. WATERMARK FOR ts AS ts - 10 minutes; same input as wm_late_dropped.
-- When the out-of-order rows arrive the watermark is at most 10:05:29.990 - 10 min =
-- 09:55:29.990, and at least 10:05:15 - 10 min = 09:55:15 (fillers more than a batch back):
--   09:50:00 k=a v=100  still behind the watermark -> late, dropped
--   10:00:30 k=a v=10   counted: window 10:00 k=a has 6 rows, sum 25
--   10:04:59 k=b v=20   counted: window 10:04 k=b
--   10:05:29.490 k=o, 10:05:40, 10:07:00   counted
-- Expected output: tests/golden/issue3_oracle.py (late/on-time classification valid for any
-- batching with <= 1500 rows per batch, then SQLite GROUP BY minute, k); independent of
-- arroyo-c.
CREATE TABLE st (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '10 minutes'
) WITH (
  connector = 'single_file',
  path = '$input_dir/wm_stream.json',
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
SELECT window.start AS ws, k, n, total
FROM (
  SELECT tumble(interval '1 minute') AS window, k, count(*) AS n, sum(v) AS total
  FROM st
  GROUP BY 1, 2
);
