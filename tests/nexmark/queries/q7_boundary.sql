-- Nexmark q7 (highest bid), standard form as q7.sql, made to meet its boundary: the events
-- start 400 ns before a multiple of 100 us ($base_time), so every window end is the time of
-- a bid (event 4 of each 50 is a bid), and prices are taken modulo 5, so a window's maximum is
-- shared by many bids, including often the bid at exactly its end, which belongs to the next
-- window and must meet both windows' maxima (BETWEEN is inclusive).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '$base_time');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price % 5 AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
CREATE VIEW max_price AS
SELECT window.end AS datetime, maxprice
FROM (SELECT tumble(interval '100 microseconds') AS window, max(price) AS maxprice
      FROM bid GROUP BY 1);
INSERT INTO out
SELECT B.auction AS auction, B.price AS price, B.bidder AS bidder, B.datetime AS datetime,
       B.extra AS extra
FROM bid AS B JOIN max_price AS B1
ON B.price = B1.maxprice
  AND B.datetime BETWEEN B1.datetime - interval '100 microseconds' AND B1.datetime;
