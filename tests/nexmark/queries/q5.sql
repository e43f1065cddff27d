-- Nexmark q5 (hot items): per hop window (slide 50 us, width 200 us here; the events are
-- 100 ns apart), the auctions with the most bids.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.price AS price
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT AuctionBids.window.start AS starttime, AuctionBids.auction AS auction, AuctionBids.num AS num
FROM (
  SELECT hop(interval '50 microseconds', interval '200 microseconds') AS window, auction, count(*) AS num
  FROM bid GROUP BY 1, 2
) AS AuctionBids
JOIN (
  SELECT window, max(num) AS maxn
  FROM (
    SELECT hop(interval '50 microseconds', interval '200 microseconds') AS window, auction, count(*) AS num
    FROM bid GROUP BY 1, 2
  ) AS CountBids
  GROUP BY window
) AS MaxBids
ON AuctionBids.window = MaxBids.window AND AuctionBids.num >= MaxBids.maxn;
