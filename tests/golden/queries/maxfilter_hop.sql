-- Rows equal to their window's maximum (Nexmark q5's shape): per hop(1 min, 2 min) window
-- the count of each key, joined on the window with the window's largest count, keeping the
-- keys that reach it (`>=`: only equality can hold). The planner turns the windowed join
-- into one operator that keeps per window the running maximum and its ties
-- (compiler/maxfilter.c; EXPLAIN: "rows equal to their window's max(n) (maxfilter: ..."). Output columns come
-- from both sides (t.maxn is c.n, t.window is c.window). Input (maxfilter.json, in time order):
-- a window with a tie (a and b 3 times each), a one-row window, then 8 minutes of random rows.
-- join_win_max_residual is the same join with a residual that keeps the windowed join.
-- Expected output: tests/golden/maxfilter_oracle.py (SQLite); independent of arroyo-c.
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
ON c.window = t.window AND c.n >= t.maxn;
