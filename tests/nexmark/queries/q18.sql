-- Nexmark q18 (last bid of each bidder on each auction): ROW_NUMBER deduplication without a
-- window (ORDER BY datetime DESC, rank 1), an updating result written as debezium and compared
-- on the final state. The generator gives every event its own timestamp, so there are no ties.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT auction, bidder, price, channel, url, datetime, extra
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY datetime DESC) AS rank_number
      FROM bid)
WHERE rank_number <= 1;
