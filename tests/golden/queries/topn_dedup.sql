-- Deduplication (Nexmark q18's form): the latest row per (k, g) by ts DESC, rank 1.
-- Expected final state: tests/golden/topn_oracle.py (SQLite's ROW_NUMBER over all rows).
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
SELECT k, g, id, b, ts FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY k, g ORDER BY ts DESC) AS rn FROM t
) WHERE rn <= 1;
