-- CAST to and from TEXT, plus numeric casts. Expected: numbers print as integers or
-- shortest round-trip floats ("1.0" keeps its ".0", "0.1"); booleans "true"/"false";
-- TIMESTAMP as 2023-01-02T03:04:05[.fff] (no zone); '1e3' parses to 1000.0; DOUBLE to
-- BIGINT truncates toward zero (2.7 -> 2, -2.7 -> -2); every cast of NULL is NULL (row 3).
CREATE TABLE c (
  id BIGINT NOT NULL,
  n BIGINT,
  x DOUBLE,
  y DOUBLE,
  flag BOOLEAN,
  ts TIMESTAMP,
  t_int TEXT,
  t_dbl TEXT,
  t_bool TEXT,
  t_ts TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/casts.json',
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
SELECT id,
  CAST(n AS TEXT) AS n_text,
  CAST(x AS TEXT) AS x_text,
  CAST(flag AS TEXT) AS flag_text,
  CAST(ts AS TEXT) AS ts_text,
  CAST(t_int AS BIGINT) AS t_int,
  CAST(t_dbl AS DOUBLE) AS t_dbl,
  CAST(t_bool AS BOOLEAN) AS t_bool,
  CAST(t_ts AS TIMESTAMP) AS t_ts,
  CAST(n AS DOUBLE) AS n_dbl,
  CAST(y AS BIGINT) AS y_int,
  CAST(CAST(n AS TEXT) AS BIGINT) + 1 AS n_back
FROM c;
