-- bench/filter_project: impulse (unthrottled, bounded) -> filter + projection -> blackhole.
-- $rows is replaced by run.sh. baseline.c "impulse" does the same work by hand.
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$rows'
);

CREATE TABLE out (
  counter BIGINT UNSIGNED,
  a BIGINT UNSIGNED,
  b BIGINT UNSIGNED,
  parity TEXT
) WITH (connector = 'blackhole');

INSERT INTO out
SELECT counter,
  counter * 3 + 7 AS a,
  counter % 1000 AS b,
  CASE WHEN counter % 2 = 0 THEN 'even' ELSE 'odd' END AS parity
FROM impulse
WHERE counter % 10 <> 3;
