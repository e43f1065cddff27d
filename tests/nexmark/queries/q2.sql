-- Nexmark q2 (selection): bids on auctions whose id is a multiple of 123.
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
INSERT INTO out
SELECT bid.auction AS auction, bid.price AS price
FROM nexmark WHERE bid IS NOT NULL AND bid.auction % 123 = 0;
