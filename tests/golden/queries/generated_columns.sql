-- GENERATED ALWAYS AS (expr) STORED columns are computed from each input row (they are not
-- read from the file) and can be selected and filtered like any column. NOT NULL columns
-- are present in every row. total = price * qty as DOUBLE: 2.5 * 4 = 10.0,
-- NULL * 3 = NULL, 0.1 * 3 = 0.30000000000000004 (f64); qty > 2 drops id 4.
CREATE TABLE orders (
  id BIGINT NOT NULL,
  price DOUBLE,
  qty BIGINT NOT NULL,
  total DOUBLE GENERATED ALWAYS AS (price * qty) STORED,
  label TEXT GENERATED ALWAYS AS (concat('order-', CAST(id AS TEXT))) STORED
) WITH (
  connector = 'single_file',
  path = '$input_dir/orders.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id, total, label, qty IS NULL AS qty_null FROM orders WHERE qty > 2;
