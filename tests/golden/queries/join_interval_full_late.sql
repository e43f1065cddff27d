-- FULL interval join with late rows: join_interval_late's input and ON (l.k = r.k AND r.ts
-- within [l.ts - 30 s, l.ts + 20 s]) as a FULL JOIN. The result is append-only: an unmatched
-- left and right row is emitted padded with NULLs once the watermark passes the last time a partner
-- could still arrive (its expiry bucket ends), never if it paired. A late row (event time
-- behind the watermark) is not joined; a late left and right row is emitted padded at once (as
-- Flink's interval join does for a late row that found no partner), a late row of a side
-- that is not preserved is dropped.
-- Expected output: tests/golden/join_outer_oracle.py classifies each row as late or on time for every batching with
-- <= 2900 rows per batch, runs the FULL JOIN in SQLite over the on-time rows and adds the late
-- left and right rows padded; independent of arroyo-c. Parallelism 1 only (which rows are late
-- depends on timing at parallelism > 1, see join_interval_late).
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  s TEXT,
  k TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_win_late.json',
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
SELECT l.k AS lk, r.k AS rk, l.v AS lv, r.v AS rv, l.ts AS lts, r.ts AS rts
FROM (SELECT * FROM ev WHERE s = 'L') l
FULL JOIN (SELECT * FROM ev WHERE s = 'R') r
ON l.k = r.k AND r.ts BETWEEN l.ts - INTERVAL '30' SECOND AND l.ts + INTERVAL '20' SECOND;
