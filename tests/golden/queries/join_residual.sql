--pk=l_id,r_id
-- Updating INNER JOIN with a residual non-equi condition: ON l.k = r.k AND l.v < r.w. The
-- equality is the join key; l.v < r.w filters the candidate pairs (a NULL v, left row 8,
-- makes it unknown: no pair). Of the 17 key pairs (see join_upd_inner), 6 pass:
-- 1 (v 10) with 101 (15), 102 (25), 109 (12); 2 (20) with 102 (25); 3 (5) with 104 (40),
-- 108 (8); left 7 (30) and 9 (50) pass with nothing.
-- Expected output: tests/golden/issue4_oracle.py runs the same join in SQLite over
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
SELECT l.id AS l_id, r.id AS r_id, l.v AS v, r.w AS w
FROM l JOIN r ON l.k = r.k AND l.v < r.w;
