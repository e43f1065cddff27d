-- Every column type read from JSON and written back unchanged (SELECT * into a sink that
-- declares the same columns). Expected output: serde_json-style values: BIGINT 2^53+1 and the
-- largest BIGINT UNSIGNED stay exact integers; FLOAT/DOUBLE print shortest round-trip
-- (3.0 stays a float, 1e21 parses to the same f64); TIMESTAMP prints without zone, with a
-- fraction only when non-zero (.500 for half a second, .000001 for one microsecond); a JSON
-- column is written as the JSON value itself, not as a string (Arroyo's json encoder writes
-- its JSON type raw, re-serialized compactly; inputs are compact with sorted keys, so that is
-- the input text); explicit null and a missing key (row 3's j) both read as NULL.
CREATE TABLE t (
  b BOOLEAN,
  i INT,
  l BIGINT,
  u BIGINT UNSIGNED,
  f FLOAT,
  d DOUBLE,
  s TEXT,
  ts TIMESTAMP,
  j JSON
) WITH (
  connector = 'single_file',
  path = '$input_dir/types.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out (
  b BOOLEAN,
  i INT,
  l BIGINT,
  u BIGINT UNSIGNED,
  f FLOAT,
  d DOUBLE,
  s TEXT,
  ts TIMESTAMP,
  j JSON
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out SELECT * FROM t;
