--fail=needs at least one equality
-- A streaming join whose ON has no equality between the two sides (l.v < r.w, and l.k2 = l.k2
-- which compares the left side with itself) would be
-- a filtered cross product of two unbounded streams: the compiler must refuse it.
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
SELECT l.id AS l_id, r.id AS r_id
FROM l JOIN r ON l.v < r.w AND l.k2 = l.k2;
