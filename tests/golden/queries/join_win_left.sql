-- Windowed LEFT JOIN: ON names only the key: rows meet within their window all the same.
-- Both sides are TUMBLE(1 minute) aggregates GROUP BY window, k, tag over their own source
-- (WATERMARK FOR ts), so a key can have several rows per window on each side:
--   10:00  left  (a,x) n2 s4, (a,y), (b,x), (NULL,x), (c,x)
--          right (a,p) n2 m400, (a,q), (a,r), (NULL,p), (b,p)
--          -> a: 2 x 3 = 6 pairs, b: 1 pair; NULL keys never match; c is left only
--   10:01  left rows only: (a,x), (b,y)
--   10:02  right rows only: (a,p), (c,q)  (must not meet 10:00's left c or 10:01's a)
--   10:03  no rows;  10:04 left (d,x), (NULL,y), right (e,p), (c,p): no common key
--   10:05  left (a,x), right (a,q): 1 pair
-- The join is append-only: each window's result is emitted once, when it closes.
-- Expected: the 8 pairs plus every left row without a partner, padded (rws and the r columns NULL): 10:00 (NULL,x), (c,x); 10:01 (a,x), (b,y); 10:04 (d,x), (NULL,y).
-- Expected output: tests/golden/issue4_oracle.py computes each side's windowed aggregate
-- in SQLite (GROUP BY (ts / 60e9) * 60e9, k, tag over the input file) and joins them ON the
-- window start AND the key in SQLite; independent of arroyo-c.
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
SELECT l.window.start AS lws, r.window.start AS rws, l.k AS lk, l.tag AS ltag, l.n AS ln,
       l.s AS ls, r.k AS rk, r.tag AS rtag, r.n AS rn, r.m AS rm
FROM (SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n, sum(v) AS s
      FROM wl GROUP BY 1, 2, 3) l
LEFT JOIN (SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n, max(v) AS m
      FROM wr GROUP BY 1, 2, 3) r
ON l.k = r.k;
