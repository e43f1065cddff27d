-- C UDFs from tests/udfs/ (double_negative(x) = -2 * x, and the same under the name
-- async_double_negative). UDFs are strict: a NULL argument gives NULL without a call.
CREATE TABLE t (
  id BIGINT NOT NULL,
  u BIGINT UNSIGNED
) WITH (
  connector = 'single_file',
  path = '$input_dir/udf.json',
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
SELECT id, double_negative(u) AS dn, async_double_negative(u + 1) AS adn FROM t;
