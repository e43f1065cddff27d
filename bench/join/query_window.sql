-- bench/join: windowed join. Two unthrottled, bounded impulse sources; per source a 1 s
-- tumbling aggregate by k = counter % K (count(*) on src1, sum(counter % 997) on src2); the
-- two aggregates joined on window and key -> blackhole. bench.py fills in the placeholders
-- count (rows per source subtask), interval (event time step in microseconds), event (the
-- event number: counter, or counter * P + subtask_index at parallelism P, so every P sees the
-- same events) and keys (K), each written with a leading dollar sign below. baseline.c (mode
-- window) does the same work.
CREATE TABLE src1 WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$count',
  event_time_interval = '$interval',
  start_time = '0'
);

CREATE TABLE src2 WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$count',
  event_time_interval = '$interval',
  start_time = '0'
);

CREATE VIEW e1 AS SELECT $event AS e FROM src1;
CREATE VIEW e2 AS SELECT $event AS e FROM src2;

CREATE TABLE out (k BIGINT UNSIGNED, c BIGINT, s BIGINT UNSIGNED) WITH (connector = 'blackhole');

INSERT INTO out
SELECT a.k, a.c, b.s
FROM (SELECT tumble(interval '1 second') AS window, e % $keys AS k, count(*) AS c
      FROM e1 GROUP BY 1, 2) a
JOIN (SELECT tumble(interval '1 second') AS window, e % $keys AS k, sum(e % 997) AS s
      FROM e2 GROUP BY 1, 2) b
ON a.window = b.window AND a.k = b.k;
