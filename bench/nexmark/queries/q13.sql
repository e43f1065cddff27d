-- bench/nexmark q13: bounded side input join: lookup join of each bid with a file table on auction % 10000 (FOR SYSTEM_TIME AS OF).
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '$max_events', base_time = '2023-01-01T00:00:00Z');

CREATE VIEW bid AS
SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, bid.channel AS channel,
  bid.url AS url, bid.datetime AS datetime, bid.extra AS extra
FROM nexmark WHERE bid IS NOT NULL;

CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');

CREATE TABLE side_input (
  key BIGINT,
  value TEXT
) WITH (
  connector = 'single_file',
  path = 'bench/nexmark/side_input.json',
  format = 'json',
  type = 'source'
);

INSERT INTO out
SELECT B.auction, B.bidder, B.price, B.datetime, S.value
FROM bid AS B
JOIN side_input FOR SYSTEM_TIME AS OF B.datetime AS S
ON B.auction % 10000 = S.key;
