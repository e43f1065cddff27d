--fail=unknown option
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000',
  message_count = '5',
  no_such_option = 'x'
);

SELECT counter FROM impulse;
