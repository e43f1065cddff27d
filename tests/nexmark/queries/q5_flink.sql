-- Nexmark q5 (hot items) as Flink writes it: the per-window maximum is taken over a second
-- per-auction count whose subquery does not project auction (GROUP BY auction, window with
-- only count(*) and the window selected). Hop slide 50 us, width 200 us as q5.sql.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.price AS price
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT AuctionBids.window.start AS starttime, AuctionBids.auction AS auction, AuctionBids.num AS num
FROM (
  SELECT auction, count(*) AS num,
    hop(interval '50 microseconds', interval '200 microseconds') AS window
  FROM bid GROUP BY auction, window
) AS AuctionBids
JOIN (
  SELECT max(CountBids.num) AS maxn, CountBids.window AS window
  FROM (
    SELECT count(*) AS num, hop(interval '50 microseconds', interval '200 microseconds') AS window
    FROM bid GROUP BY auction, window
  ) AS CountBids
  GROUP BY CountBids.window
) AS MaxBids
ON AuctionBids.window = MaxBids.window AND AuctionBids.num >= MaxBids.maxn;
