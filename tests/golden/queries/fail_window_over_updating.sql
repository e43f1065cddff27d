--fail=updating input
-- A windowed aggregate over an updating (debezium_json) input: a window result, once emitted,
-- cannot be retracted, so this is rejected; aggregate without a window instead.
CREATE TABLE orders (
  id INT PRIMARY KEY,
  cat TEXT,
  name TEXT,
  qty BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/upd_orders.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT window.start AS ws, cat, n
FROM (
  SELECT tumble(interval '1 minute') AS window, cat, count(*) AS n
  FROM orders
  GROUP BY 1, 2
);
