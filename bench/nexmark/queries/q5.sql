-- bench/nexmark q5: hot items: auctions with the most bids per 10 s hop window sliding by 2 s.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

CREATE VIEW auction_bids AS
SELECT hop(INTERVAL '2' SECOND, INTERVAL '10' SECOND) AS window, auction, count(*) AS num
FROM bid GROUP BY 1, 2;

CREATE VIEW max_bids AS
SELECT window, max(num) AS maxn
FROM auction_bids GROUP BY 1;

INSERT INTO out
SELECT ab.auction, ab.num
FROM auction_bids AS ab JOIN max_bids AS mb
ON ab.window = mb.window
  AND ab.num >= mb.maxn;
