-- Rows equal to the MINIMUM of their 10 s tumbling window, the aggregate on the left of the
-- JOIN: the argmax join with the comparison reversed (and a row at a window's end, arriving
-- before the row that lowers that window's minimum to its value, kept until it does).
-- stderr: stage 'n5_argmax'
-- Expected output: tests/golden/join_argmax_oracle.py (SQLite: GROUP BY ts / 10 s for the
-- per-window value, joined with the rows as written); independent of arroyo-c.
CREATE TABLE bids (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  price BIGINT,
  WATERMARK FOR ts AS ts - INTERVAL '15' SECOND
) WITH (
  connector = 'single_file',
  path = '$input_dir/rowmax.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

CREATE VIEW minp AS
SELECT window.end AS wend, minprice
FROM (SELECT tumble(INTERVAL '10' SECOND) AS window, min(price) AS minprice FROM bids GROUP BY 1);

INSERT INTO out
SELECT B.id AS id, B.price AS price, B.ts AS ts, M.wend AS wend
FROM minp AS M JOIN bids AS B
ON M.minprice = B.price AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;
