--pk=cat
-- Updating aggregate over a debezium_json source with creates, updates and deletes
-- (upd_orders.json). Replayed, the source ends as: id1 A ann 8, id2 B bob 4, id6 A dee 2,
-- id7 B bob 1, id8 E eve NULL. Along the way: id2 moves from A to B; C loses its only row
-- (delete) and D loses its only row (id6 updated into A), so C and D must NOT be in the final
-- state; A's min 3 leaves with id2 (min becomes 2 when id6 arrives); B's max 9 (id7) is
-- updated to 1 and B's 7 (id3) deleted, so max(B) = 4. E has only a NULL qty.
-- Final: A cnt 2 sum 10 min 2 max 8 avg 5.0 names 2; B cnt 2 sum 5 min 1 max 4 avg 2.5
-- names 1 (bob twice); E cnt 1 count(qty) 0, sum/min/max/avg NULL, names 1.
-- Expected output: tests/golden/issue3_oracle.py (Python replays the changes, SQLite GROUP BY
-- cat over the final table), checked by hand as above; independent of arroyo-c.
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
SELECT cat, count(*) AS cnt, count(qty) AS n_qty, sum(qty) AS total, min(qty) AS lo,
       max(qty) AS hi, avg(qty) AS mean, count(DISTINCT name) AS names
FROM orders
GROUP BY cat;
