-- substr/substring use 1-based character positions; a start of 0 still counts the length
-- from position 0, so substr(s, 0, 3) returns the first 2 characters. trim/ltrim/rtrim strip
-- spaces; btrim/ltrim with a second argument strip those characters instead.
-- Row 1 is "  padded  " (2 spaces, 6 letters, 2 spaces).
CREATE TABLE t (
  id BIGINT NOT NULL,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/strings2.json',
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
  substr(s, 3) AS from3,
  substr(s, 2, 3) AS mid,
  substr(s, 0, 3) AS from0,
  substring(s, 1, 5) AS first5,
  trim(s) AS tr,
  ltrim(s) AS ltr,
  rtrim(s) AS rtr,
  btrim(s, 'x') AS btr_x,
  ltrim(s, 'x') AS ltr_x,
  replace(s, 'l', 'L') AS repl
FROM t;
