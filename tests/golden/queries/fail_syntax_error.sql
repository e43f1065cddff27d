--fail=syntax error
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000',
  message_count = '5'
);

SELECT counter FROM impulse WHERE;
