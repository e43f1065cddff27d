-- Nexmark q11 (user sessions): bids per bidder per session window (gap 200 us here: the
-- events are 100 ns apart), with the session window {start, end} (end = last bid + gap).
-- A 20 us gap fails at run time: "more than 8 open sessions for one key (input too far out of
-- order)" although the input is in order (see tests/nexmark/README.md).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
INSERT INTO out
SELECT bid.bidder AS bidder, count(*) AS bid_count, session(interval '200 microseconds') AS window
FROM nexmark WHERE bid IS NOT NULL
GROUP BY 1, 3;
