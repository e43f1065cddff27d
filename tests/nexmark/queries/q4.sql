-- Nexmark q4 (average price per category): the final (maximum) price of each auction among
-- the bids made between its start and its expiry, averaged per category. An updating join
-- and two nested updating aggregates, written as debezium and compared on the final state.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW auctions AS SELECT auction.id AS id, auction.category AS category,
  auction.datetime AS datetime, auction.expires AS expires FROM nexmark WHERE auction IS NOT NULL;
CREATE VIEW bids AS SELECT bid.auction AS auction, bid.price AS price, bid.datetime AS datetime
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT q.category AS category, avg(q.final) AS avg_final
FROM (
  SELECT a.id AS id, a.category AS category, max(b.price) AS final
  FROM auctions a JOIN bids b
    ON a.id = b.auction AND b.datetime >= a.datetime AND b.datetime <= a.expires
  GROUP BY a.id, a.category
) q
GROUP BY q.category;
