-- bench/filter_project: JSON-lines file (gen_json.py) -> decode -> filter + projection ->
-- blackhole. $path is replaced by run.sh. baseline.c "json" does the same work by hand.
CREATE TABLE orders (
  id BIGINT NOT NULL,
  user_id BIGINT,
  category TEXT,
  price DOUBLE,
  qty BIGINT,
  active BOOLEAN,
  ts TIMESTAMP
) WITH (
  connector = 'single_file',
  path = '$path',
  format = 'json',
  type = 'source'
);

CREATE TABLE out (
  id BIGINT,
  bucket BIGINT,
  total DOUBLE,
  size TEXT,
  category TEXT,
  ts TIMESTAMP
) WITH (connector = 'blackhole');

INSERT INTO out
SELECT id,
  user_id % 100 AS bucket,
  price * qty AS total,
  CASE WHEN qty > 5 THEN 'bulk' ELSE 'single' END AS size,
  category,
  ts
FROM orders
WHERE active AND price >= 10.0 AND category <> 'toys';
