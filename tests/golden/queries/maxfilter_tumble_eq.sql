-- Rows equal to their window's maximum, tumble(1 min), with the maximum on the LEFT of the
-- join and the `=` form (`b.m = a.s`, a key pair of the join, not a residual), and the
-- maximum's columns in another order (m, window). The compared column is a sum that is NULL
-- for groups of only NULL values: a NULL never ties and does not count; the 10:02 window has
-- only NULL sums and gives no row. String columns (k, tag) come back from the kept ties.
-- Input: maxfilter.json (see maxfilter_hop.sql); ties of two and three rows, a one-row window.
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

CREATE VIEW sums AS
SELECT tumble(INTERVAL '1' MINUTE) AS window, k, tag, sum(v) AS s FROM ev GROUP BY 1, 2, 3;

CREATE VIEW best AS
SELECT max(s) AS m, window FROM sums GROUP BY window;

INSERT INTO out
SELECT b.window.start AS ws, a.k AS k, a.tag AS tag, a.s AS s, b.m AS m
FROM best AS b JOIN sums AS a
ON b.window = a.window AND b.m = a.s;
