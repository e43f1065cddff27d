-- INSERT into a table with connector = 'stdout': rows go to the worker's stdout as JSON
-- lines (the runner compares stdout: the script names no output path placeholder).
-- Keeps rows with b > 2 (ids 1 3) and a NULL-safe label.
CREATE TABLE t (
  id BIGINT NOT NULL,
  a BIGINT,
  b BIGINT,
  x DOUBLE,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/nums.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE console (
  id BIGINT,
  label TEXT
) WITH (
  connector = 'stdout',
  format = 'json',
  type = 'sink'
);

INSERT INTO console SELECT id, coalesce(s, '(none)') FROM t WHERE b > 2;
