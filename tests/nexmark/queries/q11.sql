-- Nexmark q11 (user sessions): bids per bidder per session window (gap 20 us here: the
-- events are 100 ns apart), with the session window {start, end} (end = last bid + gap).
-- The source's watermark lags by 1 s of event time, so every session stays open to the end:
-- up to 31 open sessions for one bidder (266 bidders have more than 8, the sessions kept in
-- the key's own entry before the rest go to the overflow list).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
INSERT INTO out
SELECT bid.bidder AS bidder, count(*) AS bid_count, session(interval '20 microseconds') AS window
FROM nexmark WHERE bid IS NOT NULL
GROUP BY 1, 3;
