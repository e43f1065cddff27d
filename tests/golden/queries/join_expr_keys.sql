--pk=l_id,r_id
-- Updating INNER JOIN on expressions: ON lower(l.s) = lower(r.s) AND l.b = r.b, each side's
-- key computed from its own row (join_types_*.json). lower('X') = 'x', so left 5 joins the
-- right 'x' rows; '' = '' (3 ~ 103); NULL s never matches (4, 104). Pairs: 1, 5 and 6 (s x,
-- b true) with 101, 105, 106, 107, 108; 2 (x, false) with 102; 3 with 103.
-- Expected output: tests/golden/issue4_oracle.py runs the same join in SQLite over the two
-- files; independent of arroyo-c.
CREATE TABLE l (
  id BIGINT,
  d DOUBLE,
  ts TIMESTAMP,
  b BOOLEAN,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_types_left.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE r (
  id BIGINT,
  d DOUBLE,
  ts TIMESTAMP,
  b BOOLEAN,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_types_right.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT l.id AS l_id, r.id AS r_id, lower(l.s) AS s
FROM l JOIN r ON lower(l.s) = lower(r.s) AND l.b = r.b;
