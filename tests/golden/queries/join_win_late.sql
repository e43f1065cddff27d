-- Late rows in a windowed join: rows arriving after the watermark passed their window are
-- dropped by the windowed aggregates, so they never reach the join. One source
-- (join_win_late.json, WATERMARK FOR ts, zero delay: the watermark is the max event time of
-- earlier source batches); left = its rows with s = 'L', right = s = 'R'; TUMBLE(1 minute)
-- GROUP BY window, k on each side; FULL JOIN on k.
--   Phase A (on time): 10:00:10 L a 1, 10:00:20 R a 10, 10:00:30 L b 2, 10:01:30 R c 20.
--   Phase B: 3000 filler rows (ts only: s is NULL, so both WHEREs drop them) every 10 ms
--            from 10:05:00: the first pushes the watermark to 10:05:00.
--   Phase C, 3000 rows (102 KB; single_file's first read is 64 KB) after that first filler:
--            10:00:40 R b 30, 10:00:50 L a 3, 10:01:40 L c 4, 10:04:59 L e 5, 10:04:58 R e 6:
--            all late -> dropped. Kept, they would have matched b in 10:00 and c in 10:01,
--            made a's left n 2, and added a pair for e in 10:04.
--   Phase D (on time): 10:05:30 L d 7, 10:05:40 R d 70, 10:06:10 L f 8.
-- Expected: 10:00 a (n1 s1) with a (n1 s10); 10:00 b left padded; 10:01 c right padded;
-- 10:05 d with d; 10:06 f left padded.
-- Expected output: tests/golden/issue4_oracle.py classifies each row as late or on time for
-- every batching with <= 2900 rows per batch (as issue3_oracle.py does for wm_late_dropped),
-- drops the late ones, then computes both windowed aggregates and their FULL JOIN on
-- (window start, k) in SQLite; independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  s TEXT,
  k TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_late.json',
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
SELECT l.window.start AS lws, r.window.start AS rws, l.k AS lk, l.n AS ln, l.s AS ls,
       r.k AS rk, r.n AS rn, r.s AS rs
FROM (SELECT tumble(interval '1 minute') AS window, k, count(*) AS n, sum(v) AS s
      FROM ev WHERE s = 'L' GROUP BY 1, 2) l
FULL JOIN (SELECT tumble(interval '1 minute') AS window, k, count(*) AS n, sum(v) AS s
           FROM ev WHERE s = 'R' GROUP BY 1, 2) r
ON l.k = r.k;
