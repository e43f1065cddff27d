-- bench/filter_project diagnostic: the impulse pipeline with (almost) no per-row work and no
-- output rows: one compare per row, nothing reaches the sink. Its time is the framework's
-- (generator, batches, queue hand-offs, the generated loop). $rows is replaced by run.sh.
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '0',
  message_count = '$rows'
);

CREATE TABLE out (
  counter BIGINT UNSIGNED
) WITH (connector = 'blackhole');

INSERT INTO out
SELECT counter
FROM impulse
WHERE counter = 18446744073709551615;
