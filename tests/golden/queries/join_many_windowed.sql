-- Windowed FULL JOIN with many keys: TUMBLE(1 minute) GROUP BY window, k on each side,
-- FULL JOIN ON l.k = r.k.
-- join_many.json (one source; s = 'L' / 'R' picks the side; BIGINT keys; rows of the
-- two sides interleaved and keys in a scrambled order): 10:00: L keys 0..199, R keys
-- 100..299; 10:01: L keys 50..249, R keys 0..99 and 200..299; one row per side, key and
-- minute. Enough keys to spread over the join's subtasks at parallelism 3.
-- Expected: 10:00: 100 pairs (100..199), 100 left-only, 100 right-only rows; 10:01: 100
-- pairs (50..99, 200..249), 100 left-only (100..199), 100 right-only (0..49, 250..299).
-- Expected output: tests/golden/issue4_oracle.py computes both windowed aggregates in
-- SQLite (GROUP BY (ts / 60e9) * 60e9, k) and FULL JOINs them on (window start, k);
-- independent of arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  s TEXT,
  k BIGINT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_many.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT l.window.start AS lws, r.window.start AS rws, l.k AS lk, l.s AS ls, r.k AS rk,
       r.s AS rs
FROM (SELECT tumble(interval '1 minute') AS window, k, count(*) AS n, sum(v) AS s
      FROM ev WHERE s = 'L' GROUP BY 1, 2) l
FULL JOIN (SELECT tumble(interval '1 minute') AS window, k, count(*) AS n, sum(v) AS s
           FROM ev WHERE s = 'R' GROUP BY 1, 2) r
ON l.k = r.k;
