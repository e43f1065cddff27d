-- The argmax join with a narrower interval: only the rows of the window's last 5 s (and the
-- row at its end) that equal its maximum; the maximum is still over the whole window.
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

CREATE VIEW maxp AS
SELECT window.end AS wend, maxprice
FROM (SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS maxprice FROM bids GROUP BY 1);

INSERT INTO out
SELECT B.id AS id, B.price AS price, B.ts AS ts, M.wend AS wend
FROM bids AS B JOIN maxp AS M
ON B.price = M.maxprice AND B.ts >= M.wend - INTERVAL '5' SECOND AND B.ts <= M.wend;
