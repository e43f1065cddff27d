-- Outer time-bounded join: join_tbound_q4 as a FULL JOIN: unmatched auctions as in join_tbound_left, and
-- unmatched bids padded when the watermark passes their ts (no auction can start before
-- it), late bids padded at once.
-- Input: tbound.json (see join_tbound_q4.sql). The result is append-only (a json sink).
-- Expected output: tests/golden/join_outer_oracle.py classifies each row as late or on time for every batching with
-- <= 2900 rows per batch, runs the FULL JOIN in SQLite over the on-time rows and adds the late
-- rows of the preserved side(s) padded; independent of arroyo-c. Parallelism 1 only (late
-- rows).
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  s TEXT,
  id BIGINT,
  opens TIMESTAMP,
  expires TIMESTAMP,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/tbound.json',
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
SELECT a.id AS aid, b.id AS bid, a.v AS av, b.v AS bv, a.ts AS ats, b.ts AS bts
FROM (SELECT * FROM ev WHERE s = 'A') a
FULL JOIN (SELECT * FROM ev WHERE s = 'B') b
ON a.id = b.id AND b.ts BETWEEN a.ts AND a.expires;
