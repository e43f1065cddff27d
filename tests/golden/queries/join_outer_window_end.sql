-- A LEFT interval join with a windowed aggregate's window end as the time column (Nexmark
-- q7's shape): raw rows b of wl meet the per-minute, per-k maximum of wr whose window end
-- lies in [b.ts, b.ts + 1 minute] (the window holding b.ts, and also the one before when b.ts
-- is exactly a window end: a's 10:05:00 row could meet the 10:04 window, which has no a, and
-- meets the 10:05 one). window.end is never below its row's event time (end - 1 ns), so the
-- join is an interval join (rows expire by the watermark; append-only); unmatched raw rows
-- (keys without wr rows in their minute: a at 10:01, b at 10:01, c at 10:00, d at 10:04, NULL
-- keys) are emitted padded when the watermark passes their reach. Both inputs are one small file each,
-- read in one batch: no row is late, so the result does not depend on timing (also run at
-- parallelism 3 and with checkpoints).
-- Expected output: tests/golden/join_outer_oracle.py (outer_window_end) computes the windowed
-- maxima with a SQLite GROUP BY (ts / 1 min) * 1 min and runs the same LEFT JOIN; independent
-- of arroyo-c.
CREATE TABLE wl (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  tag TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_left.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE wr (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  tag TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_right.json',
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
SELECT b.k AS k, b.v AS v, b.ts AS ts, m.wend AS wend, m.mx AS mx
FROM wl b
LEFT JOIN (SELECT window.end AS wend, k, mx
           FROM (SELECT tumble(interval '1 minute') AS window, k, max(v) AS mx FROM wr GROUP BY 1, 2)) m
ON b.k = m.k AND b.ts BETWEEN m.wend - INTERVAL '1' MINUTE AND m.wend;
