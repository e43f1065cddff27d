-- bench/window_agg: impulse (unthrottled, bounded) -> key/value projection -> windowed
-- aggregate -> blackhole. bench.py fills in the placeholders: count (rows per source
-- subtask), interval (event time step in microseconds), keys (K) and window (tumble(...) or
-- hop(...)), each written with a leading dollar sign below.
-- baseline.c (modes tumble and hop) does the same work by hand.
CREATE TABLE src WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$count',
  event_time_interval = '$interval',
  start_time = '0'
);

CREATE VIEW events AS
SELECT counter % $keys AS key, counter % 997 AS v
FROM src;

CREATE TABLE out (
  key BIGINT UNSIGNED,
  c BIGINT,
  s BIGINT UNSIGNED,
  m BIGINT UNSIGNED
) WITH (connector = 'blackhole');

INSERT INTO out
SELECT key, count(*) AS c, sum(v) AS s, max(v) AS m
FROM events
GROUP BY key, $window;
