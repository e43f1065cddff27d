-- NULLs in bit_and/bit_or/bit_xor and bool_and/bool_or (windowed): NULLs are skipped; a
-- group with no non-NULL value gives NULL.
-- agg_nulls.json, all in the hour 10:00 (TUMBLE(1 hour) per g), in file order:
--   mixed: (i 7, d NULL, s NULL, b true), (NULL, 1.5, 'pear', NULL), (-3, -0.25, 'apple',
--          false), (12, 4.0, NULL, true), (4, NULL, 'fig', NULL), (NULL, 2.5, 'kiwi', true)
--   allnull: two rows with every column NULL
--   one: (6, 2.5, 'solo', true)
-- Expected output: tests/golden/issue3_oracle.py (Python's & | ^ on two's-complement ints),
-- by hand: mixed i {7, -3, 12, 4}: and 4, or -1, xor -14; b {true, false, true, true}:
-- and false, or true; one: 6, 6, 6, true, true; independent of arroyo-c.
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
SELECT g, band, bor, bxor, all_b, any_b
FROM (
  SELECT tumble(interval '1 hour') AS window, g,
         bit_and(i) AS band, bit_or(i) AS bor, bit_xor(i) AS bxor,
         bool_and(b) AS all_b, bool_or(b) AS any_b
  FROM t
  GROUP BY 1, 2
);
