-- Nexmark q9 (winning bids): for each auction, the highest bid made between its start and its
-- expiry (the earliest one on equal prices), by ROW_NUMBER over an updating join without a
-- window: an updating top-1 per auction, written as debezium and compared on the final state.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW auction AS SELECT auction.id AS id, auction.item_name AS item_name,
  auction.seller AS seller, auction.datetime AS datetime, auction.expires AS expires
  FROM nexmark WHERE auction IS NOT NULL;
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.datetime AS datetime, bid.extra AS extra FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT id, item_name, seller, bidder, price, bid_datetime, bid_extra
FROM (
  SELECT A.id AS id, A.item_name AS item_name, A.seller AS seller, B.bidder AS bidder,
    B.price AS price, B.datetime AS bid_datetime, B.extra AS bid_extra,
    ROW_NUMBER() OVER (PARTITION BY A.id ORDER BY B.price DESC, B.datetime ASC) AS rownum
  FROM auction AS A JOIN bid AS B ON A.id = B.auction
    AND B.datetime BETWEEN A.datetime AND A.expires
)
WHERE rownum <= 1;
