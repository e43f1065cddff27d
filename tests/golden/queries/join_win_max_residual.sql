-- The windowed join of maxfilter_hop.sql with one more residual condition (`c.k <> 'zz'`, true
-- for every row here): not the exact shape compiler/maxfilter.c rewrites, so it stays a
-- windowed inner join (EXPLAIN: "windowed inner join") and must give maxfilter_hop's rows. It
-- keeps the windowed join's coverage for q5's shape (also at parallelism 3 and with
-- checkpoints, as every join_win_* golden).
-- Expected output: tests/golden/maxfilter_oracle.py (SQLite; the same rows as maxfilter_hop).
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  tag TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/maxfilter.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

CREATE VIEW cnt AS
SELECT hop(INTERVAL '1' MINUTE, INTERVAL '2' MINUTE) AS window, k, count(*) AS n FROM ev GROUP BY 1, 2;

CREATE VIEW top AS
SELECT window, max(n) AS maxn FROM cnt GROUP BY 1;

INSERT INTO out
SELECT c.window.start AS ws, c.window.end AS we, c.k AS k, c.n AS n, t.maxn AS maxn, t.window.end AS twe
FROM cnt AS c JOIN top AS t
ON c.window = t.window AND c.n >= t.maxn AND c.k <> 'zz';
