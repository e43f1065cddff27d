-- Rows equal to their window's MINIMUM: tumble(1 min) sums per (k, tag), joined with the
-- window's smallest sum written as `m.mn >= a.s` (only equality can hold), the minimum from a
-- subquery over the same view. NULL sums never tie; negative values; a tie of two at 10:03.
-- Input: maxfilter.json (see maxfilter_hop.sql).
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

INSERT INTO out
SELECT a.k AS k, a.tag AS tag, a.s AS s, m.mn AS mn, m.window.end AS we
FROM sums AS a JOIN (SELECT window, min(s) AS mn FROM sums GROUP BY 1) AS m
ON a.window = m.window AND m.mn >= a.s;
