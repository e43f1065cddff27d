-- INSERT maps the SELECT list to the sink's columns by position (names come from the sink)
-- and casts each value to the sink column's type: BIGINT -> TEXT ("1"), INT -> BIGINT,
-- BIGINT -> DOUBLE (5 -> 5.0), FLOAT -> DOUBLE (exact for 1.5 and -0.5),
-- BIGINT UNSIGNED -> BIGINT, TIMESTAMP -> TEXT (same text as CAST, no zone).
CREATE TABLE m (
  id BIGINT NOT NULL,
  i INT,
  l BIGINT,
  f FLOAT,
  u BIGINT UNSIGNED,
  ts TIMESTAMP
) WITH (
  connector = 'single_file',
  path = '$input_dir/mixed.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out (
  id_text TEXT,
  i_big BIGINT,
  l_dbl DOUBLE,
  f_dbl DOUBLE,
  u_big BIGINT,
  ts_text TEXT
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT id AS a, i AS b, l AS c, f AS d, u AS e, ts AS f FROM m;
