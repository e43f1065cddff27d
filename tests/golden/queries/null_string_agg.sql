-- NULLs in string_agg (windowed): NULLs are skipped, the rest joined in arrival order with
-- the separator; a group with no non-NULL value gives NULL.
-- agg_nulls.json, all in the hour 10:00 (TUMBLE(1 hour) per g), in file order:
--   mixed: (i 7, d NULL, s NULL, b true), (NULL, 1.5, 'pear', NULL), (-3, -0.25, 'apple',
--          false), (12, 4.0, NULL, true), (4, NULL, 'fig', NULL), (NULL, 2.5, 'kiwi', true)
--   allnull: two rows with every column NULL
--   one: (6, 2.5, 'solo', true)
-- Expected output: tests/golden/issue3_oracle.py (Python joins the non-NULL s in file order):
-- mixed -> 'pear,apple,fig,kiwi', one -> 'solo', allnull -> NULL; independent of arroyo-c.
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
SELECT g, names, dashed
FROM (
  SELECT tumble(interval '1 hour') AS window, g,
         string_agg(s, ',') AS names, string_agg(s, '-') AS dashed
  FROM t
  GROUP BY 1, 2
);
