-- bench/nexmark q9: winning bids: the highest bid (earliest on ties) of each auction while it is open.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW auction AS
SELECT auction.id AS id, auction.item_name AS item_name, auction.description AS description,
  auction.initial_bid AS initial_bid, auction.reserve AS reserve, auction.datetime AS datetime,
  auction.expires AS expires, auction.seller AS seller, auction.category AS category,
  auction.extra AS extra
FROM nexmark WHERE auction IS NOT NULL;

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

-- The result is updating (retractions): the blackhole sink counts insertions and retractions
-- and encodes nothing.
CREATE TABLE out WITH (connector = 'blackhole');

INSERT INTO out
SELECT id, item_name, description, initial_bid, reserve, datetime, expires, seller, category,
  extra, auction, bidder, price, bid_datetime, bid_extra
FROM (
  SELECT A.id AS id, A.item_name AS item_name, A.description AS description,
    A.initial_bid AS initial_bid, A.reserve AS reserve, A.datetime AS datetime,
    A.expires AS expires, A.seller AS seller, A.category AS category, A.extra AS extra,
    B.auction AS auction, B.bidder AS bidder, B.price AS price, B.datetime AS bid_datetime,
    B.extra AS bid_extra,
    ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.datetime ASC) AS rownum
  FROM auction AS A JOIN bid AS B ON A.id = B.auction
    AND B.datetime BETWEEN A.datetime AND A.expires
)
WHERE rownum <= 1;
