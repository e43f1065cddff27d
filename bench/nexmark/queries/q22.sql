-- bench/nexmark q22: split the URL into directories. Flink's SPLIT_INDEX(url, '/', i) (0-based) is split_part(url, '/', i + 1) (1-based; '' instead of NULL past the end, which our URLs never reach).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

INSERT INTO out
SELECT auction, bidder, price, channel,
  split_part(url, '/', 4) AS dir1,
  split_part(url, '/', 5) AS dir2,
  split_part(url, '/', 6) AS dir3
FROM bid;
