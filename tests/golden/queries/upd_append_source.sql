--pk=name
-- Updating (non-windowed) GROUP BY over an append-only json source, written to a
-- debezium_json sink and compared on its final state keyed by name. NULL name is one group;
-- dave has only a NULL v (count(v) 0, sum/min/max/avg NULL, count(DISTINCT v) 0).
-- Expected output: tests/golden/issue3_oracle.py, SQLite GROUP BY name over win_events.json
-- (the final state of an updating aggregate = the aggregate over all input); independent of
-- arroyo-c.
CREATE TABLE ev (
  ts TIMESTAMP NOT NULL,
  name TEXT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/win_events.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT name, count(*) AS cnt, count(v) AS n_v, sum(v) AS total, min(v) AS lo, max(v) AS hi,
       avg(v) AS mean, count(DISTINCT v) AS d_v
FROM ev
GROUP BY name;
