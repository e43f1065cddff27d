--fail=qty_checked
-- Without bad_data (default 'fail') a record that cannot be decoded stops the pipeline
-- with an error naming the field: line 2 has "many" for the BIGINT column qty_checked.
CREATE TABLE t (
  id BIGINT NOT NULL,
  qty_checked BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/bad_fail.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id, qty_checked FROM t;
