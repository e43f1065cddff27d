--fail=cannot
-- TEXT + BIGINT has no implicit conversion.
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000',
  message_count = '5'
);

SELECT 'abc' + counter AS x FROM impulse;
