-- Integer modulo: % and mod() take the sign of the dividend (C and DataFusion agree):
-- -7 % 3 = -1, mod(-7, 4) = -3, 9 % 3 = 0; integer division truncates (-7 / 2 = -3).
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
SELECT id, n % 3 AS rem3, mod(n, 4) AS mod4, n / 2 AS half, abs(n) % 4 AS abs_rem4
FROM t;
