-- join_ilog_q7 over a 1 s tumble: each bid meets the maximum of every 1 s window ending
-- within 10 s after it. Ten windows' rows can meet a bid, more than the log plan allows (a
-- window's row would scan every bid of the last 10 s: compiler/join.c sparse_input), so both
-- sides stay indexed by price (EXPLAIN: no "kept as a log"); the result is the SQL join.
-- Expected output: tests/golden/join_ilog_oracle.py (SQLite: GROUP BY ts / 1 s for the
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
FROM (SELECT tumble(INTERVAL '1' SECOND) AS window, max(price) AS maxprice FROM bids GROUP BY 1);

INSERT INTO out
SELECT B.id AS id, B.price AS price, B.ts AS ts, M.wend AS wend
FROM bids AS B JOIN maxp AS M
ON B.price = M.maxprice AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;
