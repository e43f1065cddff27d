-- Nexmark q19 (top 10 bids of each auction by price): ROW_NUMBER without a window, with the row
-- number in the output, so rows whose rank changes are retracted and re-emitted. Written as
-- debezium and compared on the final state. ORDER BY adds datetime so the order is total: at
-- parallelism 3 bids of one auction from different source subtasks arrive in no fixed order.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT * FROM
(SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, datetime) AS rank_number FROM bid)
WHERE rank_number <= 10;
