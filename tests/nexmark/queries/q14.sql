-- Nexmark q14 (calculation): the euro-price filter, the day/night classification by hour and
-- the C UDF count_char (bench/nexmark/udf_count_char.c, passed with --udf). The events start
-- 1.5 ms before 08:00 UTC ($base_time), so hours 7 ('otherTime') and 8 ('dayTime') both occur.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '$base_time');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT auction, bidder, 0.908 * price AS price,
  CASE
    WHEN extract(hour FROM datetime) >= 8 AND extract(hour FROM datetime) <= 18 THEN 'dayTime'
    WHEN extract(hour FROM datetime) <= 6 OR extract(hour FROM datetime) >= 20 THEN 'nightTime'
    ELSE 'otherTime'
  END AS bid_time_type,
  datetime, extra, count_char(extra, 'c') AS c_counts
FROM bid
WHERE 0.908 * price > 1000000 AND 0.908 * price < 50000000;
