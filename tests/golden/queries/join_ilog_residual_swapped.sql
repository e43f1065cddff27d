-- join_ilog_residual with the sides swapped: the per-window maxima on the left, the bids on the
-- right, kept as the log (EXPLAIN "right rows kept as a log": the residual b.id % 3 <> 0 keeps
-- the interval join, see join_ilog_residual). The same rows as join_ilog_residual.
-- stderr: stage 'n5_join'
-- Expected output: tests/golden/join_ilog_oracle.py (the same SQLite join); independent of
-- arroyo-c.
CREATE TABLE bids (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  price BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/ilog.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

CREATE VIEW maxp AS
SELECT window.end AS wend, maxprice
FROM (SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS maxprice FROM bids GROUP BY 1);

INSERT INTO out
SELECT B.id AS id, B.price AS price, B.ts AS ts, M.wend AS wend
FROM maxp AS M JOIN bids AS B
ON M.maxprice = B.price AND M.wend >= B.ts AND B.ts >= M.wend - INTERVAL '10' SECOND AND B.id % 3 <> 0;
