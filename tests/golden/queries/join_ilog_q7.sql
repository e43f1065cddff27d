-- A Nexmark q7-shaped interval join: each bid meets the maximum price of the 10 s tumbling
-- window that ends within 10 s after it (B.ts BETWEEN M.wend - 10 s AND M.wend). The bids are
-- the maximum's own input, so the join is rewritten into an argmax join (compiler/argmax.c:
-- rows equal to their window's maximum; codegen/cg_argmax.c). join_ilog_residual keeps the
-- interval join with the bids as a log (one more condition in ON).
-- stderr: stage 'n5_argmax'
-- Input (ilog.json, in time order): hand-made windows with a duplicated maximum, NULL prices,
-- a window of only NULLs (its maximum is NULL and matches nothing), a bid at exactly a
-- window's end (it meets that window's maximum), a maximum equal to an earlier window's out of
-- that bid's time range, an empty window; then 3 minutes of bids with few distinct prices.
-- Bids that are not a maximum have no partner; late rows are not covered here (which rows the
-- join finds late depends on how far the aggregate's watermark has come, a race between
-- stages; join_interval_late covers the late check, the same generated lines).
-- Expected output: tests/golden/join_ilog_oracle.py (SQLite: GROUP BY ts / 10 s for the
-- maximum, joined with the bids); independent of arroyo-c.
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
FROM bids AS B JOIN maxp AS M
ON B.price = M.maxprice AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;
