-- Nexmark q6 (average selling price per seller over its last 10 closed auctions, Flink's
-- ROWS BETWEEN 10 PRECEDING form): the winning bid of each auction (an updating top-1 over the
-- updating join), then avg(price) OVER a ROWS frame per seller, ordered by the bid's time. The
-- frame's input retracts (a higher bid replaces an auction's winner), so the output retracts and
-- re-emits the rows whose frames change; written as debezium and compared on the final state.
-- The top-1 orders by price DESC, datetime so its order is total (as in q19).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'debezium_json', type = 'sink');
CREATE VIEW auction AS SELECT auction.id AS id, auction.seller AS seller,
  auction.datetime AS datetime, auction.expires AS expires FROM nexmark WHERE auction IS NOT NULL;
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.price AS price, bid.datetime AS datetime
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT Q.seller AS seller, avg(Q.price) OVER (PARTITION BY Q.seller ORDER BY Q.datetime
                                    ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg_price
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY id, seller ORDER BY price DESC, datetime) AS rownum
  FROM (SELECT A.id AS id, A.seller AS seller, B.price AS price, B.datetime AS datetime
        FROM auction AS A JOIN bid AS B ON A.id = B.auction
          AND B.datetime BETWEEN A.datetime AND A.expires)
) Q
WHERE Q.rownum <= 1;
