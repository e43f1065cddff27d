-- Nexmark q20 (expand bids with their auction, category 10 only): an updating inner join
-- without a time bound, written as debezium and compared on its final state.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '$base_time');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
CREATE VIEW auction AS
SELECT auction.id AS id, auction.item_name AS item_name, auction.description AS description,
  auction.initial_bid AS initial_bid, auction.reserve AS reserve, auction.datetime AS datetime,
  auction.expires AS expires, auction.seller AS seller, auction.category AS category,
  auction.extra AS extra
FROM nexmark WHERE auction IS NOT NULL;
INSERT INTO out
SELECT B.auction AS auction, B.bidder AS bidder, B.price AS price, B.channel AS channel,
  B.url AS url, B.datetime AS bid_datetime, B.extra AS bid_extra, A.item_name AS item_name,
  A.description AS description, A.initial_bid AS initial_bid, A.reserve AS reserve,
  A.datetime AS auction_datetime, A.expires AS expires, A.seller AS seller,
  A.category AS category, A.extra AS auction_extra
FROM bid AS B INNER JOIN auction AS A ON B.auction = A.id AND A.category = 10;
