--fail=unknown function
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000',
  message_count = '5'
);

SELECT no_such_function(counter) AS x FROM impulse;
