--pk=cat
-- HAVING over an updating aggregate of a debezium_json source (upd_orders.json, see
-- upd_debezium_source): B's sum goes 7, 11, 20, 13 and ends at 5, so B's row is emitted and
-- must be retracted again when it falls below 6; C and D (emptied) and E (sum NULL) never
-- qualify. Final state: only A (cnt 2, sum 10).
-- Expected output: tests/golden/issue3_oracle.py (Python replay, SQLite GROUP BY cat HAVING
-- sum(qty) >= 6 over the final table); independent of arroyo-c.
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
SELECT cat, count(*) AS cnt, sum(qty) AS total
FROM orders
GROUP BY cat
HAVING sum(qty) >= 6;
