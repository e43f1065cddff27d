-- NULLs in count/sum/avg/min/max (windowed): count(*) counts rows, count(x) non-NULL values;
-- sum/avg/min/max skip NULLs and give NULL for a group with no non-NULL value (allnull).
-- avg is DOUBLE (avg_i 5.0), sum of BIGINT is BIGINT, sum of DOUBLE is DOUBLE, TEXT min/max
-- compare bytes.
-- agg_nulls.json, all in the hour 10:00 (TUMBLE(1 hour) per g), in file order:
--   mixed: (i 7, d NULL, s NULL, b true), (NULL, 1.5, 'pear', NULL), (-3, -0.25, 'apple',
--          false), (12, 4.0, NULL, true), (4, NULL, 'fig', NULL), (NULL, 2.5, 'kiwi', true)
--   allnull: two rows with every column NULL
--   one: (6, 2.5, 'solo', true)
-- Expected output: tests/golden/issue3_oracle.py (plain Python over the input file), checked
-- by hand: mixed i = {7, -3, 12, 4}: sum 20, avg 5.0; d = {1.5, -0.25, 4.0, 2.5}: sum 7.75,
-- avg 1.9375; independent of arroyo-c.
CREATE TABLE t (
  ts TIMESTAMP NOT NULL,
  g TEXT,
  i BIGINT,
  d DOUBLE,
  s TEXT,
  b BOOLEAN,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/agg_nulls.json',
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
SELECT window.start AS ws, g, n_rows, n_i, n_d, n_s, sum_i, sum_d, avg_i, avg_d,
       min_i, max_i, min_d, max_d, min_s, max_s
FROM (
  SELECT tumble(interval '1 hour') AS window, g,
         count(*) AS n_rows, count(i) AS n_i, count(d) AS n_d, count(s) AS n_s,
         sum(i) AS sum_i, sum(d) AS sum_d, avg(i) AS avg_i, avg(d) AS avg_d,
         min(i) AS min_i, max(i) AS max_i, min(d) AS min_d, max(d) AS max_d,
         min(s) AS min_s, max(s) AS max_s
  FROM t
  GROUP BY 1, 2
);
