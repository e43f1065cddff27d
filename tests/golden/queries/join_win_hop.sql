-- Windowed INNER JOIN of two HOP(1 minute, 2 minutes) aggregates (the same window on both
-- sides), GROUP BY window, k; ON l.window = r.window AND l.k = r.k. Each row is in two
-- windows, so e.g. left a rows 10:00:05..10:00:15 count in [09:59, 10:01) and [10:00, 10:02);
-- a pair exists per window in which both sides have the key (join_win_*.json: a in
-- [09:59,10:01) n 3 / m 400, [10:00,10:02) n 4 / 400, [10:01,10:03) n 1 / 700 (right a at
-- 10:02:00), [10:04,10:06) and [10:05,10:07) n 1 / 1100; b in [09:59,10:01) and [10:00,10:02)).
-- Expected output: tests/golden/issue4_oracle.py expands each row into its hop windows
-- (ends e, multiples of 1 minute, with e - 2 min <= ts < e) in Python, aggregates both sides
-- by (e, k) and joins them on (e, k) in SQLite; independent of arroyo-c.
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
SELECT l.window.start AS ws, l.window.end AS we, l.k AS k, l.n AS ln, r.m AS rm
FROM (SELECT hop(interval '1 minute', interval '2 minute') AS window, k, count(*) AS n
      FROM wl GROUP BY 1, 2) l
JOIN (SELECT hop(interval '1 minute', interval '2 minute') AS window, k, max(v) AS m
      FROM wr GROUP BY 1, 2) r
ON l.window = r.window AND l.k = r.k;
