--pk=l_id,r_id
-- Updating FULL JOIN on four keys of different types: DOUBLE, TIMESTAMP, BOOLEAN, TEXT
-- (ON l.d = r.d AND l.ts = r.ts AND l.b = r.b AND l.s = r.s). Equal values written
-- differently in the input must match, others must not (join_types_*.json):
--   1 ~ 101: d 1.5 / 1.50, ts "10:00:00Z" / "10:00:00.000+00:00"        -> match
--   2 ~ 102: b false on both sides                                       -> match
--   3 ~ 103: s '' on both sides (empty is a value), ts ".5Z" / ".500Z"   -> match
--   4 ~ 104: s NULL on both sides                                        -> no match
--   5 ~ 105: s 'X' / 'x' (case matters)                                  -> no match
--   6 ~ 108: d NULL on both sides                                        -> no match
--   106 (d 1.5000001) and 107 (ts one microsecond later) match nothing.
-- Expected output: tests/golden/issue4_oracle.py runs the same FULL JOIN in SQLite over the
-- two files (timestamps as epoch nanoseconds, booleans as 0/1); independent of arroyo-c.
CREATE TABLE l (
  id BIGINT,
  d DOUBLE,
  ts TIMESTAMP,
  b BOOLEAN,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_types_left.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE r (
  id BIGINT,
  d DOUBLE,
  ts TIMESTAMP,
  b BOOLEAN,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_types_right.json',
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
SELECT l.id AS l_id, r.id AS r_id
FROM l FULL JOIN r ON l.d = r.d AND l.ts = r.ts AND l.b = r.b AND l.s = r.s;
