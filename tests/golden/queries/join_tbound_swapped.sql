-- join_tbound_q4 with the bids as the LEFT input and the bounds written as two comparisons,
-- the time column on either side: a.expires >= b.ts AND b.ts >= a.ts. The bids' ts is the
-- bounded event time (left side), the auctions' ts + 0 its lower bound: both sides expire by
-- the watermark, late rows of both sides are dropped. Same input, same expected rows.
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
FROM (SELECT * FROM ev WHERE s = 'B') b
JOIN (SELECT * FROM ev WHERE s = 'A') a
ON a.expires >= b.ts AND b.id = a.id AND b.ts >= a.ts;
