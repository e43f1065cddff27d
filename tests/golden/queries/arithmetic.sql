-- Integer arithmetic stays BIGINT: division truncates toward zero (-7 / 2 = -3) and %
-- takes the sign of the dividend (-7 % 2 = -1); any NULL operand gives NULL. Mixing with
-- DOUBLE gives DOUBLE: 2 + 3.14159 = 5.14159 and 0 + 0.1 = 0.1 exactly as f64.
CREATE TABLE t (
  id BIGINT NOT NULL,
  a BIGINT,
  b BIGINT,
  x DOUBLE,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/nums.json',
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
SELECT id, a + b AS sum, a - b AS diff, a * b AS prod, a / b AS quot, a % b AS rem,
  -a AS neg, a + x AS ax, 7 / 2 AS seven_halves
FROM t;
