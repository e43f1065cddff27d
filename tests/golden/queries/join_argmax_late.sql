-- Late rows in an argmax join (parallelism 1 only: which rows are late at parallelism 3
-- depends on the other source subtasks). Zero watermark delay (rowmax_late.json): on-time rows,
-- 3000 NULL fillers at 10:01:40 that push the watermark there, then 6 rows behind it, which are
-- dropped: they change no window's maximum (the aggregate ignores them) and are not output
-- (the interval join drops them), then on-time rows, among them one at exactly 10:01:40 that
-- ties the maximum 42 of [10:01:30, 10:01:40), closed when the watermark reached 10:01:40:
-- it is emitted on arrival.
-- stderr: stage 'n5_argmax': 6 late rows dropped
-- Expected output: tests/golden/join_argmax_oracle.py (SQLite: GROUP BY ts / 10 s for the
-- per-window value, joined with the rows as written); independent of arroyo-c.
CREATE TABLE bids (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  price BIGINT,
  WATERMARK FOR ts 
) WITH (
  connector = 'single_file',
  path = '$input_dir/rowmax_late.json',
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
