-- Nexmark q13's shape (bench/nexmark/queries/q13.sql): bids joined with a bounded side input
-- FOR SYSTEM_TIME AS OF the bid's time, on auction % 10000 = key, into a json sink. Side input
-- keys 3, 7, 9999. Bids: 3 and 10003 -> '3'; 20007 -> '7'; 5 -> no row; 9999 and 19999 ->
-- '9999'. (tests/nexmark/check.py does not cover q13: the generator's auctions are checked
-- there against SQLite; this checks the join itself.)
CREATE TABLE bid (
  auction BIGINT NOT NULL,
  bidder BIGINT NOT NULL,
  price BIGINT NOT NULL,
  datetime TIMESTAMP NOT NULL,
  WATERMARK FOR datetime
) WITH (
  connector = 'single_file',
  path = '$input_dir/lookup_bids.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE side_input (
  key BIGINT,
  value TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/lookup_side.json',
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
SELECT B.auction, B.bidder, B.price, B.datetime, S.value
FROM bid AS B
JOIN side_input FOR SYSTEM_TIME AS OF B.datetime AS S
ON B.auction % 10000 = S.key;
