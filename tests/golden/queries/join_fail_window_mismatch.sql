--fail=window
-- A windowed join of two different windows (TUMBLE 1 minute on the left, TUMBLE 2 minutes
-- on the right): there is no "same window" for the rows to meet in, so the compiler must
-- refuse it, as Arroyo does ("can't handle mixed windowing between left and right"),
-- rather than pair rows of different windows (e.g. the left [10:01, 10:02) with the right
-- [10:00, 10:02), which merely end together).
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
SELECT l.k AS lk, l.n AS ln, r.k AS rk, r.m AS rm
FROM (SELECT tumble(interval '1 minute') AS window, k, count(*) AS n
      FROM wl GROUP BY 1, 2) l
JOIN (SELECT tumble(interval '2 minute') AS window, k, max(v) AS m
      FROM wr GROUP BY 1, 2) r
ON l.k = r.k;
