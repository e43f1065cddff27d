-- Nexmark q21 (add channel id): the channel id from the well-known channel names, else the
-- channel_id= parameter of the URL. Flink's REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)
-- is written with starts_with, strpos and split_part as in bench/nexmark/queries/q21.sql;
-- check.py computes it with a regular expression.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '$base_time');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
CREATE VIEW b AS
SELECT auction, bidder, price, channel,
  CASE
    WHEN starts_with(url, 'channel_id=') THEN split_part(substr(url, 12), '&', 1)
    WHEN strpos(url, '&channel_id=') > 0 THEN split_part(split_part(url, '&channel_id=', 2), '&', 1)
    ELSE NULL
  END AS url_channel_id
FROM bid;
INSERT INTO out
SELECT auction, bidder, price, channel,
  CASE
    WHEN lower(channel) = 'apple' THEN '0'
    WHEN lower(channel) = 'google' THEN '1'
    WHEN lower(channel) = 'facebook' THEN '2'
    WHEN lower(channel) = 'baidu' THEN '3'
    ELSE url_channel_id
  END AS channel_id
FROM b
WHERE url_channel_id IS NOT NULL OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu');
