-- Nexmark q7's interval join with one more condition in ON (b.id % 3 <> 0): a residual, so it
-- is not rewritten into an argmax join (compiler/argmax.c takes only the key and the time
-- bounds) and keeps the interval join with a sparse side: the bids are kept unindexed, as a
-- log per expiry bucket, and scanned when a window's maximum arrives (EXPLAIN: "left rows
-- kept as a log"; codegen/cg_join.c). Input: ilog.json (see join_ilog_q7.sql).
-- stderr: stage 'n5_join'
-- Expected output: tests/golden/join_ilog_oracle.py (SQLite: GROUP BY ts / 10 s for the
-- maximum, joined with the bids with the same ON); independent of arroyo-c.
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
ON B.price = M.maxprice AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend AND B.id % 3 <> 0;
