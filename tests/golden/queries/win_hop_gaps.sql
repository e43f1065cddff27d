-- HOP(slide 2 minutes, width 6 minutes) without a key over win_sparse.json (sparse, with no
-- data from 10:11:00 to 10:55:00). Windows end at epoch-aligned multiples of 2 minutes and
-- hold [end - 6 min, end); a window that holds no event produces no row, so nothing comes
-- out for ends 10:18 .. 10:54. min/max skip the NULL v at 11:02:31.
-- Expected output: tests/golden/issue3_oracle.py: Python lists each row's window ends,
-- SQLite groups by end; independent of arroyo-c.
CREATE TABLE sparse (
  ts TIMESTAMP NOT NULL,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_sparse.json',
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
SELECT window.start AS ws, window.end AS we, n, lo, hi
FROM (
  SELECT hop(interval '2 minutes', interval '6 minutes') AS window,
         count(*) AS n, min(v) AS lo, max(v) AS hi
  FROM sparse
  GROUP BY 1
);
