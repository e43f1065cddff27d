-- Nexmark q7 with a bound wider than the window: each bid meets the maxima of the 100 us
-- windows that end within 200 us after it (B.datetime BETWEEN B1.datetime - 200 us AND
-- B1.datetime, inclusive), so a bid can meet its own window's and the next window's maximum.
-- Not a standard query: the argmax join (compiler/argmax.c) takes only bounds within one
-- window, so this keeps q7's interval-join plan covered at this scale. The events and prices
-- are q7_boundary's (base time 400 ns before a window boundary, price % 5).
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
  AND B.datetime BETWEEN B1.datetime - interval '200 microseconds' AND B1.datetime;
