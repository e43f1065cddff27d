-- Updating top-2 (rn < 3) per (k, g) by a DESC NULLS LAST, without the row number in the
-- output: only rows entering and leaving the top 2 are emitted.
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
SELECT id, k, g, b FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY k, g ORDER BY a DESC NULLS LAST) AS rn FROM t
) WHERE rn < 3;
