--pk=l_id,r_id
-- Updating FULL JOIN with many keys (no windows: rows of both minutes meet): ON l.k = r.k
-- over the rows with s = 'L' and s = 'R' of one source; TIMESTAMP columns go to the
-- debezium_json sink as Unix milliseconds.
-- join_many.json (one source; s = 'L' / 'R' picks the side; BIGINT keys; rows of the
-- two sides interleaved and keys in a scrambled order): 10:00: L keys 0..199, R keys
-- 100..299; 10:01: L keys 50..249, R keys 0..99 and 200..299; one row per side, key and
-- minute. Enough keys to spread over the join's subtasks at parallelism 3.
-- Expected: a key with m left and n right rows gives m x n pairs (2 x 2 for 50..99 and
-- 200..249, ...), keys on one side only are padded.
-- Expected output: tests/golden/issue4_oracle.py runs the same FULL JOIN in SQLite over
-- the two sides' rows (timestamps as epoch ns / 10^6); independent of arroyo-c.
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

CREATE VIEW l AS SELECT ts, id, k, v FROM ev WHERE s = 'L';
CREATE VIEW r AS SELECT ts, id, k, v FROM ev WHERE s = 'R';

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT l.id AS l_id, r.id AS r_id, l.k AS lk, r.k AS rk, l.ts AS lts, r.ts AS rts,
       l.v + r.v AS vv
FROM l FULL JOIN r ON l.k = r.k;
