--fail=append-only
-- An updating join (no windows: its rows can be retracted) written to a json sink, which is
-- append-only: the compiler must refuse it and point at debezium_json.
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
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT l.id AS l_id, r.id AS r_id
FROM l LEFT JOIN r ON l.k = r.k;
