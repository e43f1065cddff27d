--pk=id
-- debezium_json source (c/u/d records, PRIMARY KEY id; extra fields like ts_ms ignored)
-- filtered and projected into a debezium_json sink. Compared on the final state.
-- Source state after replay: id 1 (qty 5, at 03:05:00), id 3 (qty 1), id 4 (qty 3);
-- id 2 was deleted. WHERE qty > 1 keeps ids 1 and 4 (id 3's update to qty 1 must retract
-- its earlier output row). TIMESTAMP in a debezium_json sink is Unix milliseconds:
-- 2024-01-02T03:05:00Z = 1704164700000, 2024-01-02T03:08:00Z = 1704164880000.
CREATE TABLE src (
  id INT PRIMARY KEY,
  name TEXT,
  qty BIGINT,
  at TIMESTAMP
) WITH (
  connector = 'single_file',
  path = '$input_dir/cdc.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE out (
  id INT PRIMARY KEY,
  name TEXT,
  qty10 BIGINT,
  at TIMESTAMP
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out SELECT id, upper(name), qty * 10, at FROM src WHERE qty > 1;
