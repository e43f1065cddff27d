-- bench/window_agg and bench/memory: the 10 s tumbling count per key of issue 3's target.
-- Placeholders as in query.sql. baseline.c tumble_count does the same work by hand.
CREATE TABLE src WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$count',
  event_time_interval = '$interval',
  start_time = '0'
);

CREATE VIEW events AS
SELECT counter % $keys AS key
FROM src;

CREATE TABLE out (
  key BIGINT UNSIGNED,
  c BIGINT
) WITH (connector = 'blackhole');

INSERT INTO out
SELECT key, count(*) AS c
FROM events
GROUP BY key, $window;
