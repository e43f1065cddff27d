-- bench/nexmark q6: average selling price per seller over its last 10 closed auctions (Flink: ROWS BETWEEN 10 PRECEDING window).
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
SELECT Q.seller, avg(Q.price) OVER (PARTITION BY Q.seller ORDER BY Q.datetime
                                    ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg_price
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY id, seller ORDER BY price DESC) AS rownum
  FROM (SELECT A.id AS id, A.seller AS seller, B.price AS price, B.datetime AS datetime
        FROM auction AS A JOIN bid AS B ON A.id = B.auction
          AND B.datetime BETWEEN A.datetime AND A.expires)
) Q
WHERE Q.rownum <= 1;
