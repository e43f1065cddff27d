-- NULLs in first_value/last_value (windowed): they take the first and the last row in
-- arrival order INCLUDING NULLs, as DataFusion does by default (RESPECT NULLS; only
-- "IGNORE NULLS" skips them, and docs/aggregates.md says the same). In mixed the first s is
-- NULL, the last i is NULL and the first d is NULL.
-- agg_nulls.json, all in the hour 10:00 (TUMBLE(1 hour) per g), in file order:
--   mixed: (i 7, d NULL, s NULL, b true), (NULL, 1.5, 'pear', NULL), (-3, -0.25, 'apple',
--          false), (12, 4.0, NULL, true), (4, NULL, 'fig', NULL), (NULL, 2.5, 'kiwi', true)
--   allnull: two rows with every column NULL
--   one: (6, 2.5, 'solo', true)
-- Expected output: tests/golden/issue3_oracle.py (Python takes the first and the last row of
-- each group in file order): mixed -> first_s NULL, last_s 'kiwi', first_i 7, last_i NULL,
-- first_d NULL, last_d 2.5; independent of arroyo-c.
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
SELECT g, first_s, last_s, first_i, last_i, first_d, last_d
FROM (
  SELECT tumble(interval '1 hour') AS window, g,
         first_value(s) AS first_s, last_value(s) AS last_s,
         first_value(i) AS first_i, last_value(i) AS last_i,
         first_value(d) AS first_d, last_value(d) AS last_d
  FROM t
  GROUP BY 1, 2
);
