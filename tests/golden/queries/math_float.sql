-- Math on DOUBLE (results DOUBLE, printed shortest round-trip; libm values computed with
-- glibc's sqrt/log/log10/exp). round() rounds half away from zero; round(x, n) keeps n
-- decimals (2.5 / 3 = 0.8333... -> 0.83). % on DOUBLE is fmod (sign of the dividend).
-- abs(BIGINT) stays BIGINT; exp(BIGINT) is DOUBLE (exp(0) = 1.0). sqrt/ln/log10 take
-- abs(x) so no row hits NaN or -inf.
CREATE TABLE t (
  id BIGINT NOT NULL,
  x DOUBLE,
  n BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/math.json',
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
SELECT id,
  abs(n) AS abs_n,
  abs(x) AS abs_x,
  ceil(x) AS ceil_x,
  floor(x) AS floor_x,
  round(x) AS round_x,
  round(x / 3, 2) AS round_x3,
  sqrt(abs(x)) AS sqrt_x,
  power(x, 2) AS sq_x,
  exp(n) AS exp_n,
  ln(abs(x)) AS ln_x,
  log10(abs(x)) AS log10_x,
  x % 2.0 AS fmod_x
FROM t;
