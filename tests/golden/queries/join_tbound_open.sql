-- The time-bounded join when the lower bound is not an event time: b.ts BETWEEN a.opens AND
-- a.expires, opens an ordinary column of the auction. The bids cannot expire by the
-- watermark then (a new auction may open arbitrarily early): they are kept until the
-- updating TTL; auctions still expire when the watermark passes expires, and are never late
-- (no bound of theirs is their event time), bids behind the watermark are. Same input as
-- join_tbound_q4: here the late auction (10:04, opens 10:04) meets the on-time bid of
-- 10:05:30, and the bid of 10:06:31 meets the auction of 10:06:32 that opened at 10:06.
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
ON a.id = b.id AND b.ts BETWEEN a.opens AND a.expires;
