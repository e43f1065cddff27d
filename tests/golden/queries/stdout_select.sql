-- A script that ends in a plain SELECT (no INSERT) writes its rows to stdout as JSON lines
-- (this is demo/demo.sql). The runner compares stdout because the script never names an
-- output path placeholder. impulse with message_count 20 emits counter 0..19 (BIGINT
-- UNSIGNED); counter % 3 <> 0 keeps 1 2 4 5 7 8 10 11 13 14 16 17 19; square = counter^2.
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000000',
  message_count = '20'
);

SELECT counter, counter * counter AS square,
  CASE WHEN counter % 2 = 0 THEN 'even' ELSE 'odd' END AS parity
FROM impulse
WHERE counter % 3 <> 0;
