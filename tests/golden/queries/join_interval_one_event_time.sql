-- An interval-shaped ON whose right column is the event time (r.ts) but whose left one is not
-- (l.at): planned as a time-bounded join (append-only, a json sink) in which r rows are kept
-- under the updating TTL and l rows are never late; l rows whose `at` is behind the
-- watermark still meet the stored r rows (L a at 10:00:05 meets R a at ts 10:00:01).
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
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT l.v AS lv, r.v AS rv, l.k AS k, l.at AS lat, r.ts AS rts
FROM (SELECT * FROM ev WHERE s = 'L') l
JOIN (SELECT * FROM ev WHERE s = 'R') r
ON l.k = r.k AND r.ts BETWEEN l.at - INTERVAL '30' SECOND AND l.at + INTERVAL '20' SECOND;
