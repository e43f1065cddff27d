-- bench/nexmark q7: highest bid: bids with the maximum price of their 10 s tumbling window.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

CREATE VIEW max_price AS
SELECT window.end AS datetime, maxprice
FROM (SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS maxprice
      FROM bid GROUP BY 1);

INSERT INTO out
SELECT B.auction, B.price, B.bidder, B.datetime, B.extra
FROM bid AS B JOIN max_price AS B1
ON B.price = B1.maxprice
  AND B.datetime BETWEEN B1.datetime - INTERVAL '10' SECOND AND B1.datetime;
