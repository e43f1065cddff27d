-- FULL interval join without late rows: join_left.json (left row i at 09:00:00 + i s) and
-- join_right.json (right row j at 09:00:30 + j s), each a source with WATERMARK FOR ts whose
-- ts only rise, so no row is ever behind the join's watermark and the result does not depend
-- on timing (also run at parallelism 3 and with checkpoints). ON l.k = r.k AND r.ts within
-- [l.ts + 28 s, l.ts + 31 s]: left row i meets right row j of its key when i - 2 <= j <= i + 1.
-- Unmatched rows are emitted padded with NULLs when the watermark passes their reach (at the
-- end of the input at the latest): left 4 (c: no right rows), 5 and 6 (NULL keys), 7 (a, but
-- no right a row in its time range); right 105 (e), 106 (NULL key), 109 (a, too late for
-- every left a row). Duplicate keys give every pair in range. Append-only (a json sink).
-- Expected output: tests/golden/join_outer_oracle.py (outer_interval_full) runs the same FULL
-- JOIN in SQLite over the input files; independent of arroyo-c.
CREATE TABLE l (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  k TEXT,
  k2 INT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_left.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE r (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  k TEXT,
  k2 BIGINT,
  w BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_right.json',
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
SELECT l.id AS l_id, r.id AS r_id, l.k AS lk, r.k AS rk, l.ts AS lts, r.ts AS rts
FROM l FULL JOIN r
ON l.k = r.k AND r.ts BETWEEN l.ts + INTERVAL '28' SECOND AND l.ts + INTERVAL '31' SECOND;
