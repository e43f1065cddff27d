-- The default watermark of event_time_field (no WATERMARK clause): max event time - 1 s.
-- Same input as wm_late_dropped (see there). With a 1 s delay:
--   09:50:00, 10:00:30, 10:04:59 (4.5 min .. 15 min behind)   late -> dropped
--   10:05:29.490 k=o v=30 (0.5 s behind the max 10:05:29.990)  NOT late: the watermark is at
--                                                             most 10:05:28.990 -> counted
--   10:05:40, 10:07:00                                        on time -> counted
-- Expected output: tests/golden/issue3_oracle.py (late/on-time classification valid for any
-- batching with <= 1500 rows per batch, then SQLite GROUP BY minute, k); independent of
-- arroyo-c.
CREATE TABLE st (
  ts TIMESTAMP,
  k TEXT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/wm_stream.json',
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
SELECT window.start AS ws, k, n, total
FROM (
  SELECT tumble(interval '1 minute') AS window, k, count(*) AS n, sum(v) AS total
  FROM st
  GROUP BY 1, 2
);
