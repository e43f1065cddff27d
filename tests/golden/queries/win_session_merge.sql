-- SESSION(10 seconds) without a key, with out-of-order input within the watermark delay
-- (WATERMARK FOR ts AS ts - 1 minute). File order: 13:00:00, :05, :22, :25, then :13, ...
-- Before :13 arrives there are two sessions, [13:00:00, 13:00:15) and [13:00:22, 13:00:35);
-- :13 is 12 s behind the max (not late: the watermark is at most 12:59:25) and its interval
-- [:13, :23) overlaps both, so all five rows become ONE session [13:00:00, 13:00:35).
-- Then 13:01:00, :04 -> [13:01:00, 13:01:14); 13:02:00.500 -> [13:02:00.500, 13:02:10.500).
-- Expected output: tests/golden/issue3_oracle.py (Python interval merging over the rows in
-- event-time order), checked by hand as above; independent of arroyo-c.
CREATE TABLE s (
  ts TIMESTAMP NOT NULL,
  v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '1 minute'
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_session_merge.json',
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
SELECT window.start AS ws, window.end AS we, n, total, lo
FROM (
  SELECT session(interval '10 seconds') AS window, count(*) AS n, sum(v) AS total,
         min(v) AS lo
  FROM s
  GROUP BY 1
);
