--fail=must be a multiple of slide
-- hop() width (10 minutes) is not a multiple of its slide (3 minutes): rejected at planning
-- time, as Arroyo does ("hop() width 600s currently must be a multiple of slide 180s").
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
SELECT window.start AS ws, n
FROM (
  SELECT hop(interval '3 minutes', interval '10 minutes') AS window, count(*) AS n
  FROM ev
  GROUP BY 1
);
