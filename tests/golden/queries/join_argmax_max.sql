-- Rows equal to the maximum of their 10 s tumbling window (Nexmark q7's shape), with columns
-- from both sides: the join is rewritten into an argmax join (compiler/argmax.c, EXPLAIN
-- "rows equal to their window's max(price) (argmax join: ..."; codegen/cg_argmax.c), which keeps
-- per window the running maximum and its ties instead of every row.
-- stderr: stage 'n5_argmax'
-- Input (rowmax.json, out of order by less than the 15 s watermark delay, so nothing is late):
-- ties, NULL prices, rows at exactly a window's end tying the previous window's maximum (one
-- arriving before that maximum is reached), a window of only NULLs, an empty window, and 3
-- minutes of rows with few distinct prices.
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

CREATE VIEW maxp AS
SELECT window.end AS wend, window.start AS wstart, maxprice
FROM (SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS maxprice FROM bids GROUP BY 1);

INSERT INTO out
SELECT B.id AS id, B.price AS price, B.ts AS ts, M.wend AS wend, M.wstart AS wstart, M.maxprice AS maxprice
FROM bids AS B JOIN maxp AS M
ON B.price = M.maxprice AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;
