-- bench/nexmark q21: channel id: from the hot channel name, else channel_id= in the URL. Flink's REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) is written with split_part (same value: text after the first '&channel_id=' or a leading 'channel_id=', up to the next '&'; NULL when absent).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

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
