-- A q4-shaped time-bounded join: bids b meet auctions a of their id while b.ts lies in
-- [a.ts, a.expires], where ts is each side's event time (WATERMARK FOR ts, zero delay). The
-- join drops late rows of both sides (event time < its watermark), keeps bids until the
-- watermark passes their ts (no new auction can start before it) and auctions until it passes
-- their expires, in expiry buckets; the result is append-only (a json sink).
-- Input (tbound.json, one source: s = A auction, B bid, F filler): on-time rows at
-- 10:00-10:01 (matches, duplicate bids and auctions of one id, bids outside the bounds, a bid
-- before its auction arrives, NULL key, NULL expires), 3000 fillers at 10:05:00 that push the
-- watermark to 10:05:00, late rows (two bids that would have matched stored auctions, an
-- auction at 10:04 that an on-time bid would match), on-time rows at 10:05-10:06 (a bid for
-- the auction stored since 10:01 and still open, a bid after its auction expired, duplicates).
-- Expected output: tests/golden/join_tbound_oracle.py classifies each row as late or on time
-- for every batching with <= 2900 rows per batch, drops the late ones and runs the same join
-- in SQLite; independent of arroyo-c.
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
SELECT a.id AS id, a.v AS av, b.v AS bv, a.ts AS ats, b.ts AS bts
FROM (SELECT * FROM ev WHERE s = 'A') a
JOIN (SELECT * FROM ev WHERE s = 'B') b
ON a.id = b.id AND b.ts BETWEEN a.ts AND a.expires;
