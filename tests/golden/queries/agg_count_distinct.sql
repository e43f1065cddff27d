-- count(DISTINCT ...) in a TUMBLE(2 minutes) without a key: NULLs are not counted, repeated
-- values count once (v 5 from bob and carol, 7 twice from bob), names are case-sensitive
-- (carol and Carol are two). [10:00, 10:02): 9 rows, 8 non-NULL v, 6 distinct v, 3 names;
-- [10:04, 10:06): 6 rows, 5 non-NULL v, 4 distinct v, 4 names.
-- Expected output: tests/golden/issue3_oracle.py, SQLite count(DISTINCT) over
-- win_events.json, checked by hand as above; independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_events.json',
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
SELECT window.start AS ws, window.end AS we, n_rows, n_v, d_v, d_name
FROM (
  SELECT tumble(interval '2 minutes') AS window, count(*) AS n_rows, count(v) AS n_v,
         count(DISTINCT v) AS d_v, count(DISTINCT name) AS d_name
  FROM ev
  GROUP BY 1
);
