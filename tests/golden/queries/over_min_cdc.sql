-- Window frame over an updating input: a debezium source whose rows are created out of order,
-- updated (within and across partitions) and deleted in the middle of partitions; min(v) over
-- the preceding row and the current one, per k, ordered by id. Each change retracts and
-- re-emits the rows whose frames it touches.
-- Expected final state: tests/golden/topn_oracle.py replays the changes to the final table and
-- runs the same window function over it in SQLite.
CREATE TABLE c (
  id BIGINT PRIMARY KEY,
  k TEXT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/over_cdc.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT id, k, v, min(v) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS m
FROM c;
