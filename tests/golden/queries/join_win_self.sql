-- Windowed LEFT self join through a view used on both sides: agg = TUMBLE(1 minute)
-- GROUP BY window, k, tag over join_win_left.json; agg x LEFT JOIN agg y ON x.k = y.k AND
-- x.tag < y.tag. Only 10:00's a has two tags (x n 2, y n 1): (a,x) pairs with (a,y); every
-- other row, (a,y) included, is padded (the NULL keys too: they match nothing, not even
-- themselves).
-- Expected output: tests/golden/issue4_oracle.py computes the windowed aggregate in SQLite
-- (GROUP BY (ts / 60e9) * 60e9, k, tag) and LEFT JOINs it with itself ON window start, k and
-- x.tag < y.tag; independent of arroyo-c.
CREATE TABLE wl (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  tag TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_left.json',
  format = 'json',
  type = 'source'
);

CREATE VIEW agg AS
SELECT tumble(interval '1 minute') AS window, k, tag, count(*) AS n
FROM wl GROUP BY 1, 2, 3;

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT x.window.start AS ws, x.k AS k, x.tag AS xtag, x.n AS xn, y.tag AS ytag, y.n AS yn
FROM agg x LEFT JOIN agg y ON x.k = y.k AND x.tag < y.tag;
