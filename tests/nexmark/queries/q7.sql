-- Nexmark q7 (highest bid) in the standard form: every bid joined with the maximum price of each
-- 100 us tumbling window (exposed as window.end AS datetime) on price and on
-- B.datetime BETWEEN B1.datetime - 100 us AND B1.datetime, inclusive on both ends: a bid at
-- exactly a window's end also matches that window's maximum (an interval join).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
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
