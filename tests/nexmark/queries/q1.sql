-- Nexmark q1 (currency conversion): bid prices in euros (0.908 * price, a DOUBLE).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE out WITH (connector = 'single_file', path = '$output_path', format = 'json', type = 'sink');
INSERT INTO out
SELECT bid.auction AS auction, bid.bidder AS bidder, 0.908 * bid.price AS price,
       bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;
