--pk=left_counter,counter_mod_2
-- Peer test updating_left_join (Arroyo's crates/arroyo-sql-testing), SQL copied unchanged but for the
-- first line. Arroyo rejects this query (--fail=This feature is not implemented: can't handle non-inner joins without windows); we support it;
-- expected output computed with SQLite as the same query over the final tables:
-- tests/golden/issue4_oracle.py runs SELECT counter AS left_counter, counter_mod_2,
-- right_count FROM impulse LEFT JOIN (SELECT counter % 2 AS counter_mod_2, count(*) AS
-- right_count FROM impulse WHERE counter < 3 GROUP BY 1) ON counter = right_count
-- WHERE counter < 3 in SQLite over inputs/impulse.json (a copy of the peer suite's).
-- The subquery is an updating GROUP BY: its final state is {(0, 2), (1, 1)} (counters 0
-- and 2 are even, 1 is odd); along the way (0, 1) exists, so intermediate rows may
-- pair counter 1 with both groups: the pk is (left_counter, counter_mod_2), unique at
-- every step. Final: (0, NULL, NULL) padded, (1, 1, 1), (2, 0, 2).
CREATE TABLE impulse (
      timestamp TIMESTAMP,
      counter bigint unsigned not null,
      subtask_index bigint unsigned not null
    ) WITH (
      connector = 'single_file',
      path = '$input_dir/impulse.json',
      format = 'json',
      type = 'source',
      event_time_field = 'timestamp'
    );

    CREATE TABLE output (
      left_counter bigint,
      counter_mod_2 bigint,
      right_count bigint
    ) WITH (
      connector = 'single_file',
      path = '$output_path',
      format = 'debezium_json',
      type = 'sink'
    );

    INSERT INTO output
    select counter as left_counter, counter_mod_2, right_count from impulse
         left join
         (select counter % 2 as counter_mod_2, cast(count(*) as bigint UNSIGNED) as right_count from impulse where counter < 3 group by 1)
        on counter = right_count where counter < 3;