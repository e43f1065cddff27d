-- More than 8 sessions open at once for one key (the entry keeps 8; the rest go to an overflow
-- list), SESSION(10 seconds), watermark 5 minutes behind. Rows (seconds after 13:00:00, v = the
-- seconds): k at 0, 15, ..., 165 (12 separate sessions, all open), j at 3 and 50, then late
-- rows that bridge two sessions each: k 142 (merges the 11th and 12th, both in the list), k 7
-- (1st and 2nd, in the entry), k 112 (8th in the entry with 9th in the list); then j 420
-- (the watermark reaches 13:02:00: sessions ending by then close and the entry is refilled
-- from the list), k 425, 440, 455 (new sessions), k 170 (extends [165, 175) to [165, 180)).
-- Expected: k [0, 25) n 3 total 22; [30, 40), [45, 55), [60, 70), [75, 85), [90, 100) one row
-- each; [105, 130) n 3 total 337; [135, 160) n 3 total 427; [165, 180) n 2 total 335; [425,
-- 435), [440, 450), [455, 465); j [3, 13), [50, 60), [420, 430). Checked by hand; the golden
-- was written by a few lines of Python interval merging (as issue3_oracle.py), not arroyo-c.
CREATE TABLE s (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '5 minutes'
) WITH (
  connector = 'single_file',
  path = '$input_dir/session_many.json',
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
