-- Windowed FULL JOIN whose ON has a second window key: the left side carries its window twice
-- (as w and as window, through a projection), and ON says l.window = r.window AND
-- l.w = r.window AND l.k = r.k. The extra key is implied, but it is not the side's own window
-- column, so the join keeps the window keys in its key bytes instead of rebuilding the window
-- from the bucket (codegen/cg_join.c window_from_bucket: the path no other golden takes).
-- Input and result as join_win_full.sql: the 8 pairs, the 6 unmatched left rows and the 5
-- unmatched right rows, padded.
-- Expected output: tests/golden/issue4_oracle.py, as for join_win_full (SQLite: each side's
-- windowed aggregate, FULL JOIN ON the window start AND the key, plus the same window start
-- equality again for l.w); independent of arroyo-c.
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
FROM (SELECT window AS w, k, tag, n, s, window
      FROM (SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n, sum(v) AS s
            FROM wl GROUP BY 1, 2, 3)) l
FULL JOIN (SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n, max(v) AS m
      FROM wr GROUP BY 1, 2, 3) r
ON l.window = r.window AND l.w = r.window AND l.k = r.k;
