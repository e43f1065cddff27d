-- Nexmark q12 (bids per bidder per window): Flink's processing-time window is an event-time
-- tumble here (as in bench/nexmark/queries/q12.sql), 100 us wide.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '$base_time');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price,
  bid.channel AS channel, bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
  FROM nexmark WHERE bid IS NOT NULL;
INSERT INTO out
SELECT bidder, bid_count, window.start AS starttime, window.end AS endtime
FROM (SELECT bidder, count(*) AS bid_count, tumble(interval '100 microseconds') AS window
      FROM bid GROUP BY 1, 3);
