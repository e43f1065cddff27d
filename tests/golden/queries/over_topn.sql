-- Window frame over an updating top-N (Nexmark q6's shape): the top 2 rows per (k, g) by a DESC
-- (NULLs first), then avg(a) over the 3 preceding kept rows and the current one per k, ordered
-- by id. A row pushed out of a top 2 is retracted from the frames that held it.
-- Expected final state: tests/golden/topn_oracle.py (SQLite, the same two nested queries).
CREATE TABLE t (
  id BIGINT NOT NULL,
  k TEXT,
  g BIGINT,
  a BIGINT,
  b TEXT,
  ts TIMESTAMP
) WITH (
  connector = 'single_file',
  path = '$input_dir/topn_rows.json',
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
SELECT id, k, avg(a) OVER (PARTITION BY k ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) AS avg_a
FROM (
  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k, g ORDER BY a DESC) AS rn FROM t)
  WHERE rn <= 2
);
