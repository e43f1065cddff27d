-- bench/join: updating join of two append-only streams on a key. Two unthrottled, bounded
-- impulse sources; with e the event number (counter, or counter * P + subtask_index at
-- parallelism P, so every P sees the same events), rows l = (k, e*3, e+7, e%1000) and
-- r = (k, e*5, e+11, e%997), 32 bytes of columns each; updating_ttl bounds the join state.
-- An updating result needs a sink that takes retractions: the blackhole connector takes no
-- format and the compiler refuses it ("sink 'out' is append-only; use format =
-- 'debezium_json'"), so the sink is single_file with debezium_json, path /dev/null.
-- bench.py fills in ttl, count, interval, event, lkey and rkey (the key expressions over e:
-- e, or e + 10^12 on the right for disjoint keys), residual (''
-- or an extra ON conjunct) and path, each written with a leading dollar sign below.
-- baseline.c (modes updating and memory) does the same work.
SET updating_ttl = '$ttl';

CREATE TABLE s1 WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$count',
  event_time_interval = '$interval',
  start_time = '0'
);

CREATE TABLE s2 WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$count',
  event_time_interval = '$interval',
  start_time = '0'
);

CREATE VIEW e1 AS SELECT $event AS e FROM s1;
CREATE VIEW e2 AS SELECT $event AS e FROM s2;
CREATE VIEW l AS SELECT $lkey AS k, e * 3 AS a, e + 7 AS b, e % 1000 AS c FROM e1;
CREATE VIEW r AS SELECT $rkey AS k, e * 5 AS a, e + 11 AS b, e % 997 AS c FROM e2;

CREATE TABLE out (k BIGINT UNSIGNED, la BIGINT UNSIGNED, rb BIGINT UNSIGNED) WITH (
  connector = 'single_file',
  type = 'sink',
  format = 'debezium_json',
  path = '$path'
);

INSERT INTO out
SELECT l.k, l.a, r.b
FROM l JOIN r ON l.k = r.k$residual;
