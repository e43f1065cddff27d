-- GROUP BY expressions: the window call itself and two expressions repeated in the select
-- list, lower(name) (alice/Carol/carol fold together; a NULL name gives a NULL group) and
-- v % 2 (NULL v gives a NULL group; -2 % 2 = 0).
-- Expected output: tests/golden/issue3_oracle.py, SQLite GROUP BY (ts / 60e9) * 60e9,
-- lower(name), v % 2 over win_events.json; independent of arroyo-c.
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
SELECT window.start AS ws, window.end AS we, lname, parity, n, top
FROM (
  SELECT tumble(interval '1 minute') AS window, lower(name) AS lname, v % 2 AS parity,
         count(*) AS n, max(v) AS top
  FROM ev
  GROUP BY tumble(interval '1 minute'), lower(name), v % 2
);
