CREATE TABLE t (
  b BOOLEAN, i INT NOT NULL, l BIGINT, u BIGINT UNSIGNED, f FLOAT, d DOUBLE, s TEXT,
  ts TIMESTAMP, j JSON, g BIGINT GENERATED ALWAYS AS (l * 2) STORED,
  WATERMARK FOR ts AS ts - INTERVAL '1 minute'
) WITH (connector = 'single_file', path = '/tmp/in.json', format = 'json', type = 'source',
  bad_data = 'drop');
CREATE TABLE o WITH (connector = 'single_file', path = '/tmp/out.json', format = 'debezium_json', type = 'sink');
CREATE VIEW v AS SELECT s, coalesce(nullif(l, 0), -1) AS l FROM t WHERE s ILIKE 'a%' OR s IS NULL;
INSERT INTO o SELECT * FROM (SELECT s, l FROM v) AS x UNION ALL SELECT s, l FROM v;
