-- NULLs in median and the variance family (windowed). NULLs are skipped; no value -> NULL;
-- one value: sample variance/stddev NULL, population variance/stddev 0.0. median of BIGINT
-- stays BIGINT and truncates: mixed i {-3, 4, 7, 12} -> (4 + 7) / 2 = 5; median of DOUBLE
-- {-0.25, 1.5, 2.5, 4.0} -> 2.0. Floats are compared after round(x, 4).
-- agg_nulls.json, all in the hour 10:00 (TUMBLE(1 hour) per g), in file order:
--   mixed: (i 7, d NULL, s NULL, b true), (NULL, 1.5, 'pear', NULL), (-3, -0.25, 'apple',
--          false), (12, 4.0, NULL, true), (4, NULL, 'fig', NULL), (NULL, 2.5, 'kiwi', true)
--   allnull: two rows with every column NULL
--   one: (6, 2.5, 'solo', true)
-- Expected output: tests/golden/issue3_oracle.py with Python's statistics module (exact
-- variance, stdev, pvariance, pstdev) and DataFusion's round ((x * 1e4).round() / 1e4); by
-- hand for d: mean 1.9375, sum of squared deviations 9.546875 -> var_samp 3.18229..,
-- var_pop 2.38671875; for i: 118 / 3 = 39.333.., pop stddev sqrt(29.5) = 5.4314;
-- independent of arroyo-c.
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
SELECT g, med_i, med_d, sd_d, sds_d, sdp_d, var_d, vars_d, varp_d, var_i, sdp_i
FROM (
  SELECT tumble(interval '1 hour') AS window, g,
         median(i) AS med_i, median(d) AS med_d,
         round(stddev(d), 4) AS sd_d, round(stddev_samp(d), 4) AS sds_d,
         round(stddev_pop(d), 4) AS sdp_d,
         round(var(d), 4) AS var_d, round(var_samp(d), 4) AS vars_d,
         round(var_pop(d), 4) AS varp_d,
         round(var(i), 4) AS var_i, round(stddev_pop(i), 4) AS sdp_i
  FROM t
  GROUP BY 1, 2
);
