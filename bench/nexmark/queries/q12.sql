-- bench/nexmark q12: bids per bidder per 10 s tumbling window. Flink uses a processing-time window (PROCTIME()); we have no processing time, so this is the event-time tumble (as Arroyo's port).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

INSERT INTO out
SELECT bidder, bid_count, window.start AS starttime, window.end AS endtime
FROM (SELECT bidder, count(*) AS bid_count, tumble(INTERVAL '10' SECOND) AS window
      FROM bid GROUP BY 1, 3);
