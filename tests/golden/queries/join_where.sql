--pk=l_id,r_id
-- Updating INNER JOIN followed by WHERE over both sides' qualified columns:
-- ON l.k = r.k WHERE l.v < r.w. For an inner join a WHERE condition keeps exactly the pairs
-- the same condition in ON keeps, so the expected output is join_residual's (obtained there
-- by tests/golden/issue4_oracle.py, SQLite over join_left.json and join_right.json). The
-- WHERE keeps the join's table qualifiers (l.v, r.w), which it once lost.
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
FROM l JOIN r ON l.k = r.k
WHERE l.v < r.w;
