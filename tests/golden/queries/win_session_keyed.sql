-- SESSION(10 seconds) per key over win_sessions.json. A session starts at its first event and
-- ends at its last event + 10 s; an event joins a session when it falls before that end.
--   alice 12:00:00, :05, :12.250 -> [12:00:00, 12:00:22.250) n 3; alice :40 -> [:40, :50)
--   bob   :03 -> [:03, :13); bob :15 (after :13) -> new session, :24 joins -> [:15, :34)
--   carol :01.500 -> [:01.500, :11.500)
-- Expected output: tests/golden/issue3_oracle.py (Python interval merging), checked by hand
-- as above; independent of arroyo-c.
CREATE TABLE s (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_sessions.json',
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
SELECT window.start AS ws, window.end AS we, name, n, total
FROM (
  SELECT session(interval '10 seconds') AS window, name, count(*) AS n, sum(v) AS total
  FROM s
  GROUP BY window, name
);
