--pk=l_id,r_id
-- Updating LEFT JOIN with a condition beyond the key: ON l.k = r.k AND l.v < r.w, over the
-- append-only join_left.json / join_right.json (see join_upd_left.sql): a preserved row is
-- padded with NULLs while no partner passes the whole ON (c: no right rows; 7 (a, v 30): no w
-- above 30; 9 (b, v 50); 8: v NULL, the residual is NULL; NULL keys); rows that pass pair as
-- usual, duplicate keys give every passing pair. The padded row of a left row is retracted
-- when its first passing partner arrives (the right input comes after the left one).
-- Expected output: tests/golden/join_outer_oracle.py (SQLite's LEFT JOIN with the same ON over the input files); independent of arroyo-c.
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
SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk, r.w AS w
FROM l LEFT JOIN r ON l.k = r.k AND l.v < r.w;
