-- Late rows are dropped by a windowed aggregate. WATERMARK FOR ts (zero delay: the watermark
-- is the max event time seen in earlier source batches). wm_stream.json (written by
-- tests/golden/issue3_oracle.py): 5 rows k=a in 10:00:10..:50, then 3000 filler rows k=f
-- every 10 ms from 10:05:00 to 10:05:29.990, then, at least ~1500 rows (more than one source
-- batch) after the fillers pushed the watermark past 10:05:15:
--   09:50:00 k=a v=100, 10:00:30 k=a v=10, 10:04:59 k=b v=20   late -> dropped (counted as
--                                                               late, not written)
--   10:05:29.490 k=o   filtered out here (0.5 s behind the max: late or not depends on where
--                      the batch boundary falls)
--   10:05:40 k=a v=1000, 10:07:00 k=a v=2000                   on time -> counted
-- So window 10:00 k=a keeps its 5 rows (sum 15) and no row appears for 10:04 or 09:50.
-- Expected output: tests/golden/issue3_oracle.py (classifies each row as late / on time for
-- every batching with <= 1500 rows per batch, then SQLite GROUP BY minute, k over the kept
-- rows); independent of arroyo-c.
CREATE TABLE st (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  v BIGINT,
  WATERMARK FOR ts
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
  WHERE k <> 'o'
  GROUP BY 1, 2
);
