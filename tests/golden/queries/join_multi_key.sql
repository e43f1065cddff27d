--pk=l_id,r_id
-- Updating LEFT JOIN on two key columns, ON l.k = r.k AND r.k2 = l.k2 (the second equality
-- written right-side first; l.k2 is INT, r.k2 BIGINT: equal values must match across the
-- widening). A NULL in either key column never matches: left 7 (a, NULL) and 5 (NULL, 1),
-- 6 (NULL, NULL) stay padded, as does 4 (c, 1); right 109 (a, NULL) and 108 (b, NULL) match
-- nothing. Pairs: 1 (a,1) x 101, 102; 2 (a,2) x 103; 3 (b,1) and 9 (b,1) x 104; 8 (d,2) x 107.
-- Expected output: tests/golden/issue4_oracle.py runs the same LEFT JOIN in SQLite over
-- join_left.json and join_right.json; independent of arroyo-c.
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

CREATE TABLE r (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  k TEXT,
  k2 BIGINT,
  w BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_right.json',
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
SELECT l.id AS l_id, r.id AS r_id, l.k AS k, l.k2 AS lk2, r.k2 AS rk2
FROM l LEFT JOIN r ON l.k = r.k AND r.k2 = l.k2;
