-- User-defined aggregates in a TUMBLE(1 hour) per k: my_median, none_udf, max_product from
-- tests/udfs/udafs.c, and udaf_spread (max - min of BIGINT) and udaf_wavg (sum(x*w) / sum(w),
-- NULL when the weights sum to 0) from tests/udfs/golden_udafs.c. Rows where an argument is
-- NULL are left out; a group with no row left gives NULL without a call.
--   p: a {5, 1, 9, 4} -> median 4.5; (a, b) (5,2) (1,10) (9,1) (4,0) -> max product 10;
--      i {3, -7, 12} -> spread 19; (x, w) (1,1) (3,3) (5,0) [x NULL left out] -> 10 / 4 = 2.5
--   q: a {7} -> 7.0; b NULL -> max_product NULL; i NULL -> NULL; (2.0, 0.0) -> wavg NULL
--   r: every argument NULL -> all NULL
-- none_udf is always NULL. Expected output: tests/golden/issue3_oracle.py (plain Python),
-- checked by hand as above; independent of arroyo-c.
CREATE TABLE t (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  a BIGINT UNSIGNED,
  b BIGINT UNSIGNED,
  i BIGINT,
  x DOUBLE,
  w DOUBLE,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/udaf_in.json',
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
SELECT window.start AS ws, k, med, maxprod, nothing, spread, wavg
FROM (
  SELECT tumble(interval '1 hour') AS window, k,
         my_median(a) AS med, max_product(a, b) AS maxprod, none_udf(a) AS nothing,
         udaf_spread(i) AS spread, udaf_wavg(x, w) AS wavg
  FROM t
  GROUP BY 1, 2
);
