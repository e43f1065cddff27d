-- Nexmark q7 (highest bid), the windowed-join form this test used before interval joins
-- existed: the bids grouped by their 100 us tumbling window and all their columns (bids have
-- distinct times, so nothing merges) joined with the per-window maximum on window and price.
-- Kept beside q7.sql (the standard interval-join form) because it exercises another plan: a
-- windowed join of two windowed aggregates.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.datetime AS datetime, bid.extra AS extra FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT B.window.start AS wstart, B.auction AS auction, B.price AS price, B.bidder AS bidder,
       B.datetime AS datetime, B.extra AS extra
FROM (
  SELECT tumble(interval '100 microseconds') AS window, auction, price, bidder, datetime, extra
  FROM bid GROUP BY 1, 2, 3, 4, 5, 6
) B
JOIN (
  SELECT tumble(interval '100 microseconds') AS window, max(price) AS maxprice FROM bid GROUP BY 1
) B1
ON B.window = B1.window AND B.price = B1.maxprice;
