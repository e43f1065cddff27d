--fail=windowed input with a non-windowed
-- A windowed aggregate (TUMBLE) joined with a non-windowed input: the windowed side's rows
-- are final per window while the other side is a plain stream; the compiler must refuse it
-- (window both sides the same way instead).
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

CREATE TABLE wr (
  ts TIMESTAMP NOT NULL,
  k TEXT,
  tag TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_right.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT l.k AS k, l.n AS n, r.v AS v
FROM (SELECT tumble(interval '1 minute') AS window, k, count(*) AS n
      FROM wl GROUP BY 1, 2) l
JOIN wr r ON l.k = r.k;
