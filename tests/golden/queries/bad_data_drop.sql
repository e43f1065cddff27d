-- bad_data = 'drop' skips records that cannot be decoded and keeps going: line 2 (not
-- JSON), line 4 ("three" is not a BIGINT), line 5 (not an object), line 6 (no value for the
-- NOT NULL column id). A missing or null value in a nullable column is not bad data
-- (ids 5 and 6 have amount NULL).
CREATE TABLE t (
  id BIGINT NOT NULL,
  name TEXT,
  amount BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/bad_rows.json',
  format = 'json',
  type = 'source',
  bad_data = 'drop'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id, name, amount FROM t;
