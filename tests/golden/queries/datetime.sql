-- Date/time functions on TIMESTAMP (UTC). extract/date_part are cast to BIGINT so the
-- result does not depend on their return type. to_timestamp parses RFC 3339 and the SQL form
-- 'YYYY-MM-DD HH:MM:SS'. Adding 1 hour to 2023-12-31T23:30:00.123456 crosses into 2024 and
-- keeps the microseconds (printed as .123456). epoch of 2023-09-18T14:23:10Z = 1695046990.
CREATE TABLE t (
  id BIGINT NOT NULL,
  ts TIMESTAMP,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/events.json',
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
SELECT id,
  CAST(extract(hour FROM ts) AS BIGINT) AS hour,
  CAST(date_part('minute', ts) AS BIGINT) AS minute,
  CAST(date_part('year', ts) AS BIGINT) AS year,
  CAST(extract(epoch FROM ts) AS BIGINT) AS epoch,
  date_trunc('hour', ts) AS hour_start,
  date_trunc('day', ts) AS day_start,
  ts + INTERVAL '1 hour' AS plus_hour,
  ts - INTERVAL '1 day' AS minus_day,
  to_timestamp(s) AS parsed
FROM t;
