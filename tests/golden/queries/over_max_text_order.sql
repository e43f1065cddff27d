-- Window frame ordered by a TEXT column with NULLs (last for ASC): max(a) over the preceding
-- row and the current one, per k.
-- Expected final state: tests/golden/topn_oracle.py (SQLite, with the arrival position as the
-- last ORDER BY key).
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
SELECT id, k, b, max(a) OVER (PARTITION BY k ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS m
FROM t;
