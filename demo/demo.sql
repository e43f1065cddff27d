-- demo/demo.sql: the smallest pipeline. The impulse source counts 0..19 and stops; the query
-- keeps counters not divisible by 3, squares them and names their parity. A script that
-- ends in a plain SELECT (no INSERT) prints its rows to stdout as JSON lines.
--   bin/arroyo-compile demo/demo.sql -o build/demo/demo.so && bin/arroyo-worker build/demo/demo.so
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000000',
  message_count = '20'
);

SELECT counter, counter * counter AS square,
  CASE WHEN counter % 2 = 0 THEN 'even' ELSE 'odd' END AS parity
FROM impulse
WHERE counter % 3 <> 0;
