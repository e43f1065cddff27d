-- bench/join diagnostic: the two windowed aggregates of query_window.sql without the join,
-- each into its own blackhole sink, to tell the join's cost from the aggregates' (same
-- placeholders as query_window.sql). Rows out: both aggregates' groups, twice the join's.
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

CREATE TABLE out1 (k BIGINT UNSIGNED, c BIGINT) WITH (connector = 'blackhole');
CREATE TABLE out2 (k BIGINT UNSIGNED, s BIGINT UNSIGNED) WITH (connector = 'blackhole');

INSERT INTO out1
SELECT k, c
FROM (SELECT tumble(interval '1 second') AS window, e % $keys AS k, count(*) AS c
      FROM e1 GROUP BY 1, 2);

INSERT INTO out2
SELECT k, s
FROM (SELECT tumble(interval '1 second') AS window, e % $keys AS k, sum(e % 997) AS s
      FROM e2 GROUP BY 1, 2);
