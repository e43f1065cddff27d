-- GROUP BY select-list aliases: the window (w) and the key (who), TUMBLE(2 minutes);
-- the outer query reads the window through its alias (w.start).
-- Expected output: tests/golden/issue3_oracle.py, SQLite GROUP BY (ts / 120e9) * 120e9, name
-- over win_events.json; independent of arroyo-c.
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
SELECT w.start AS ws, who, n, total
FROM (
  SELECT tumble(interval '2 minutes') AS w, name AS who, count(*) AS n, sum(v) AS total
  FROM ev
  GROUP BY w, who
);
