-- count(*) FILTER (WHERE ...) in a TUMBLE(1 minute) per name: only rows whose FILTER
-- predicate is TRUE are counted (NULL and FALSE are not). alice in 10:00 has v 3, NULL, 4:
-- count(*) 3, FILTER (WHERE v > 0) 2, FILTER (WHERE v IS NULL) 1; bob in 10:01 has v -2, 7,
-- 7: 3, 2, 0; dave (v NULL): 1, 0, 1.
-- Expected output: tests/golden/issue3_oracle.py, SQLite with the same FILTER clauses over
-- win_events.json, checked by hand as above; independent of arroyo-c.
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
SELECT window.start AS ws, name, all_rows, pos, nulls
FROM (
  SELECT tumble(interval '1 minute') AS window, name,
         count(*) AS all_rows,
         count(*) FILTER (WHERE v > 0) AS pos,
         count(*) FILTER (WHERE v IS NULL) AS nulls
  FROM ev
  GROUP BY 1, 2
);
