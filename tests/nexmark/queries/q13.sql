-- Nexmark q13 (bounded side input join): a lookup join of each bid with a file table on
-- auction % 10000. check.py writes the side input ($side_input): keys 0..9999 without the
-- multiples of 3, value the key as text, so a third of the bids find no row and are dropped.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '$base_time');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
CREATE TABLE side_input (
  key BIGINT,
  value TEXT
) WITH (
  connector = 'single_file',
  path = '$side_input',
  format = 'json',
  type = 'source'
);
INSERT INTO out
SELECT B.auction AS auction, B.bidder AS bidder, B.price AS price, B.datetime AS datetime,
  S.value AS value
FROM bid AS B
JOIN side_input FOR SYSTEM_TIME AS OF B.datetime AS S
ON B.auction % 10000 = S.key;
