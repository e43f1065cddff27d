-- Windowed FULL JOIN with a residual condition: ON l.k = r.k AND l.n < r.n. Both sides are
-- preserved, and a row counts as matched only through a pair that passes l.n < r.n: a right
-- row whose key partners all fail it is padded like a right row without partners.
-- Both sides are TUMBLE(1 minute) aggregates GROUP BY window, k, tag over their own source
-- (WATERMARK FOR ts), so a key can have several rows per window on each side:
--   10:00  left  (a,x) n2 s4, (a,y), (b,x), (NULL,x), (c,x)
--          right (a,p) n2 m400, (a,q), (a,r), (NULL,p), (b,p)
--          -> a: 2 x 3 candidate pairs, b: 1; NULL keys never match; c is left only
--   10:01  left rows only: (a,x), (b,y)
--   10:02  right rows only: (a,p), (c,q)  (must not meet 10:00's left c or 10:01's a)
--   10:03  no rows;  10:04 left (d,x), (NULL,y), right (e,p), (c,p): no common key
--   10:05  left (a,x), right (a,q): 1 candidate pair
-- Expected: only 10:00 (a,y) n1 with (a,p) n2 passes; every other left row and every other
-- right row is padded, including 10:00's right (a,q), (a,r) (n1, not above any partner's n)
-- and (b,p), and 10:05's (a,q).
-- Expected output: tests/golden/issue4_oracle.py computes each side's windowed aggregate
-- in SQLite (GROUP BY (ts / 60e9) * 60e9, k, tag over the input file) and FULL JOINs them
-- ON the window start AND the key AND l.n < r.n in SQLite; independent of arroyo-c.
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
FULL JOIN (SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n, max(v) AS m
      FROM wr GROUP BY 1, 2, 3) r
ON l.k = r.k AND l.n < r.n;
