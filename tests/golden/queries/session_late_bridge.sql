-- Late rows merge many sessions into one, through the overflow list. SESSION(10 seconds),
-- watermark 5 minutes behind. x at 0, 15, ..., 135 s after 13:00:00 (10 sessions open at once:
-- 8 in the entry, 2 in the overflow list), y at 290 s, then late x rows at 127, 112, ..., 7
-- (each [t, t + 10 s) overlaps the sessions at t - 7 and t + 8, so every row bridges two):
-- newest first, so merges go list+list, entry+list, then entry+entry. Expected: ONE x session
-- [13:00:00, 13:02:25), n 19, total (0 + 15 + ... + 135) + (7 + 22 + ... + 127) = 675 + 603 =
-- 1278; y [13:04:50, 13:05:00) n 1 total 290. Checked by hand.
CREATE TABLE s (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '5 minutes'
) WITH (
  connector = 'single_file',
  path = '$input_dir/session_bridge.json',
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
SELECT window.start AS ws, window.end AS we, name, n, total
FROM (
  SELECT session(interval '10 seconds') AS window, name, count(*) AS n, sum(v) AS total
  FROM s
  GROUP BY window, name
);
