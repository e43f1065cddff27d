--pk=lv,rv
-- An interval-shaped ON (r.at BETWEEN l.at - 30 s AND l.at + 20 s) over columns that are not
-- the rows' event times: the watermark does not bound them, so the join must not treat a row
-- as late or expire it by the watermark; it is planned as an updating join (debezium sink).
-- Input (outer_at.json, written by the oracle): one source, WATERMARK FOR ts (rising: no row
-- is late); s = L / R rows with a TIMESTAMP `at` that is NOT the event time, then 3000 fillers
-- (s NULL) that push the watermark to 10:05:00, then L / R rows whose `at` lies far behind it
-- and that pair with rows stored before the fillers.
-- Expected output: tests/golden/join_outer_oracle.py (SQLite's join of all L and R rows); independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  s TEXT,
  k TEXT,
  at TIMESTAMP,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/outer_at.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT l.v AS lv, r.v AS rv, l.k AS k, l.at AS lat, r.at AS rat
FROM (SELECT * FROM ev WHERE s = 'L') l
JOIN (SELECT * FROM ev WHERE s = 'R') r
ON l.k = r.k AND r.at BETWEEN l.at - INTERVAL '30' SECOND AND l.at + INTERVAL '20' SECOND;
