-- starts_with; strpos is 1-based and 0 when absent; split_part returns '' past the last
-- field; lpad/rpad truncate (keeping the left part) when the string is already longer,
-- and cycle a multi-character fill ('xy' -> "7xy").
CREATE TABLE t (
  id BIGINT NOT NULL,
  s TEXT,
  n TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/strings3.json',
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
  starts_with(s, 'a,') AS sw,
  strpos(s, ',') AS comma_at,
  strpos(s, 'value') AS value_at,
  split_part(s, ',', 2) AS part2,
  split_part(s, '=', 1) AS key,
  lpad(n, 4, '0') AS zero4,
  rpad(n, 3, 'xy') AS xy3,
  lpad(n, 3) AS sp3
FROM t;
