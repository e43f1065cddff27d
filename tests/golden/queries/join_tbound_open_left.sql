-- Outer time-bounded join: join_tbound_open (lower bound a.opens, not an event time) as a LEFT JOIN: auctions
-- are never late and go out padded when the watermark passes their expires; bids are kept
-- under the updating TTL (a RIGHT or FULL join of this shape is planned as an updating join,
-- since its bids could never be emitted padded).
-- Input: tbound.json (see join_tbound_q4.sql). The result is append-only (a json sink).
-- Expected output: tests/golden/join_outer_oracle.py classifies each row as late or on time for every batching with
-- <= 2900 rows per batch, runs the LEFT JOIN in SQLite over the on-time rows and adds the late
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
LEFT JOIN (SELECT * FROM ev WHERE s = 'B') b
ON a.id = b.id AND b.ts BETWEEN a.opens AND a.expires;
