-- HAVING on a windowed aggregate, with an aggregate that is not in the select list
-- (max(v)) and three-valued logic: dave's group (count 1, max NULL) gives
-- false OR NULL = NULL and is dropped; the NULL-name group (count 1, max 8) is kept.
-- Expected output: tests/golden/issue3_oracle.py, SQLite with the same HAVING over
-- win_events.json; independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_events.json',
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
SELECT window.start AS ws, name, cnt, total
FROM (
  SELECT tumble(interval '1 minute') AS window, name, count(*) AS cnt, sum(v) AS total
  FROM ev
  GROUP BY 1, 2
  HAVING count(*) >= 2 OR max(v) >= 6
);
