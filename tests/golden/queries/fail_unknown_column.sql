--fail=unknown column
-- "nope" is not a column of impulse (counter, subtask_index).
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '1000',
  message_count = '5'
);

SELECT counter, nope FROM impulse;
