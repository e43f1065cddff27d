-- An aggregate over a windowed join, grouped by the join's window: the join's rows of a
-- window are complete when that window closes, so GROUP BY window over them is a windowed
-- (append-only) aggregate, written to a json sink. Inputs and the 8 pairs as in
-- join_win_inner.sql: window 10:00 has 7 pairs (a: (a,x) n 2 and (a,y) n 1, each with 3
-- right rows; b: 1 pair, n 1), so pairs 7, sum(l.n) 2*3 + 1*3 + 1 = 10, max(r.m) 600;
-- window 10:05 has 1 pair (n 1, m 1100); windows without pairs give no row.
-- Expected output: tests/golden/issue4_oracle.py computes both windowed aggregates in
-- SQLite (GROUP BY (ts / 60e9) * 60e9, k, tag), joins them on (window start, k) and groups
-- the pairs by window start; independent of arroyo-c.
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
SELECT window.start AS ws, pairs, sn, mm
FROM (
  SELECT window, count(*) AS pairs, sum(ln) AS sn, max(rm) AS mm
  FROM (
    SELECT l.window AS window, l.n AS ln, r.m AS rm
    FROM (SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n
          FROM wl GROUP BY 1, 2, 3) l
    JOIN (SELECT tumble(interval '1 minute') AS window, k, tag, max(v) AS m
          FROM wr GROUP BY 1, 2, 3) r
    ON l.k = r.k
  )
  GROUP BY window
);
