-- bench/nexmark q4: average closing price per category: max bid per auction while open, averaged per category (updating).
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
SELECT Q.category, avg(Q.final) AS final
FROM (
  SELECT max(B.price) AS final, A.category AS category
  FROM auction AS A JOIN bid AS B ON A.id = B.auction
    AND B.datetime BETWEEN A.datetime AND A.expires
  GROUP BY A.id, A.category
) Q
GROUP BY Q.category;
