--fail=must appear in the GROUP BY clause
-- v is in the select list of a windowed aggregate but neither grouped nor aggregated.
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
SELECT window.start AS ws, name, v, n
FROM (
  SELECT tumble(interval '1 minute') AS window, name, v, count(*) AS n
  FROM ev
  GROUP BY 1, 2
);
