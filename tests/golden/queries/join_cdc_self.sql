--pk=x_id,y_id
-- Updating LEFT self join of one debezium_json source (join_cdc_left.json, both sides are
-- the same table): every change reaches both sides, so pairs made earlier are retracted by
-- updates and deletes on either side: 2 moving a -> b retracts (1,2), (2,1), (2,2) and makes
-- (2,2), (2,3), (3,2); deleting 4 retracts (4,4); updating 1's v retracts every pair of 1;
-- 5 leaves the NULL key (its padded row is retracted) for e, where 7 was (pairs (5,7),
-- (7,5) until 7 moves to f); 6 is deleted.
-- Final table: 1 a 11, 2 b 21, 3 b 30, 5 e 51, 7 f 70, 8 NULL 80. Final join: (1,1),
-- (2,2), (2,3), (3,2), (3,3), (5,5), (7,7), and 8 padded (a NULL key matches nothing, not
-- even its own row).
-- Expected output: tests/golden/issue4_oracle.py replays the changes to the final table in
-- Python and runs the same self join in SQLite; independent of arroyo-c.
CREATE TABLE l (
  id BIGINT PRIMARY KEY,
  k TEXT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_cdc_left.json',
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
SELECT x.id AS x_id, y.id AS y_id, x.k AS k, x.v + y.v AS vv
FROM l x LEFT JOIN l y ON x.k = y.k;
