-- A window written into a declared STRUCT<start TIMESTAMP, end TIMESTAMP> column (fields in
-- the other order, nullable): the JSON object follows the declared field order. Counts
-- per 1-minute window are agg_filter's all_rows (SQLite oracle there).
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

CREATE TABLE out (
  w STRUCT<"end" TIMESTAMP, start TIMESTAMP>,
  n BIGINT
) WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT tumble(interval '1 minute') AS window, count(*) AS all_rows
FROM ev
GROUP BY 1;
