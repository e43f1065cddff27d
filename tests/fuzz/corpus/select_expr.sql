CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '5');
SELECT counter, counter * 2 AS twice, CAST(counter AS TEXT) || '!' AS s,
  CASE WHEN counter % 2 = 0 THEN 'even' ELSE 'odd' END AS parity
FROM impulse WHERE counter BETWEEN 1 AND 3 AND counter IN (1, 2) IS NOT FALSE;
