-- Late rows before the rows equal to their window's maximum: join_win_late.json (see
-- join_win_late.sql; WATERMARK FOR ts with zero delay), sum(v) per k and tumble(1 min) over
-- the rows with s set, and the keys whose sum is the window's maximum. The rows 3000 fillers
-- after the watermark reached 10:05 are late and dropped by the aggregate: kept, they would
-- make b the 10:00 maximum (32, not a's 11), change c's sum and add a 10:04 window for e.
-- Parallelism 1 only (which rows are late depends on the other source subtasks otherwise).
-- Expected output: tests/golden/maxfilter_oracle.py (classifies late rows as issue4_oracle.py,
-- then SQLite); independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  s TEXT,
  k TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_late.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

CREATE VIEW sums AS
SELECT tumble(INTERVAL '1' MINUTE) AS window, k, sum(v) AS sv FROM ev WHERE s IS NOT NULL GROUP BY 1, 2;

INSERT INTO out
SELECT a.window.start AS ws, a.k AS k, a.sv AS sv
FROM sums AS a JOIN (SELECT window, max(sv) AS mx FROM sums GROUP BY 1) AS m
ON a.window = m.window AND a.sv >= m.mx;
