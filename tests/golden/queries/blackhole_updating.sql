--pk=id
-- A blackhole sink takes an updating stream without a format: it encodes nothing and the
-- worker's summary counts its insertions and retractions. The same filtered debezium_json
-- source goes to the blackhole and to a debezium_json sink, which is compared on its final
-- state (as in debezium.sql: ids 1 and 4 remain). Through WHERE qty > 1 the stream is
-- +1(qty 2), -1(qty 2), +1(qty 5), +3, +4, -3: the blackhole's summary line reads
-- "6 rows written (4 insertions, 2 retractions)", checked by the runner:
-- stderr: sink 'counted' (blackhole): 6 rows written (4 insertions, 2 retractions)
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

CREATE TABLE counted WITH (
  connector = 'blackhole'
);

CREATE TABLE out (
  id INT PRIMARY KEY,
  name TEXT,
  qty BIGINT
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

CREATE VIEW big AS SELECT id, name, qty FROM src WHERE qty > 1;

INSERT INTO counted SELECT * FROM big;

INSERT INTO out SELECT * FROM big;
