--pk=x_id,y_id
-- Self join through a view used on both sides: lv = the rows of join_left.json with a
-- non-NULL v; lv x JOIN lv y ON x.k = y.k AND x.id < y.id (each unordered pair once).
-- a: ids 1, 2, 7 -> (1,2), (1,7), (2,7); b: 3, 9 -> (3,9); c has one row; d's only row
-- (8) has v NULL; the NULL keys (5, 6) never match, not even each other.
-- Expected output: tests/golden/issue4_oracle.py runs the same query in SQLite (the view as
-- a WITH clause) over join_left.json; independent of arroyo-c.
CREATE TABLE l (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  k TEXT,
  k2 INT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_left.json',
  format = 'json',
  type = 'source'
);

CREATE VIEW lv AS SELECT id, k, v FROM l WHERE v IS NOT NULL;

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT x.id AS x_id, y.id AS y_id, x.k AS k, x.v + y.v AS vv
FROM lv x JOIN lv y ON x.k = y.k AND x.id < y.id;
