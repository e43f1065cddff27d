--fail=append-only
-- A non-windowed GROUP BY is an updating result (rows are retracted); a json sink is
-- append-only and cannot take it (a debezium_json sink can).
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT,
  WATERMARK FOR ts
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_events.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT name, count(*) AS n
FROM ev
GROUP BY name;
