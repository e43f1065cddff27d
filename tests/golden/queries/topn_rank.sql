-- Updating top-3 per k by a ASC (NULLs last), b DESC (NULLs first), with the row number in the
-- output: a row entering the top 3 retracts and re-emits every row whose number changes.
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
SELECT k, id, a, b, rn FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY a ASC, b DESC) AS rn FROM t
) WHERE rn <= 3;
