-- join_ilog_q7 with the sides swapped: the per-window maxima on the left, the bids on the
-- right, the time bound written as two comparisons: also an argmax join (compiler/argmax.c).
-- The same rows as join_ilog_q7. join_ilog_residual_swapped keeps the interval join.
-- stderr: stage 'n5_argmax'
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
ON M.maxprice = B.price AND M.wend >= B.ts AND B.ts >= M.wend - INTERVAL '10' SECOND;
