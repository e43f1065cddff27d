--pk=l_id,r_id
-- Updating (non-windowed) LEFT JOIN of two append-only sources on one TEXT key, written to a
-- debezium_json sink; compared on the final state keyed by (l_id, r_id), unique in it.
-- Inputs (written by tests/golden/issue4_oracle.py), append-only json:
--   join_left.json  id: k        join_right.json  id: k
--     1 a, 2 a, 7 a                  101 a, 102 a, 103 a, 109 a   (3 x 4 = 12 pairs)
--     3 b, 9 b                       104 b, 108 b                 (2 x 2 = 4 pairs)
--     8 d                            107 d
--     4 c (left only)                105 e (right only)
--     5 NULL, 6 NULL                 106 NULL                     (NULL never matches)
-- Expected: 17 pairs plus left rows 4 (c), 5 and 6 (NULL keys) padded with NULLs.
-- Expected output: tests/golden/issue4_oracle.py runs the same LEFT JOIN in SQLite over the
-- two input files (the final state of an updating join over append-only inputs is the join
-- of all rows); independent of arroyo-c.
CREATE TABLE l (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  k TEXT,
  k2 INT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_left.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE r (
  ts TIMESTAMP NOT NULL,
  id BIGINT,
  k TEXT,
  k2 BIGINT,
  w BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_right.json',
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
SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk, r.w AS w
FROM l LEFT JOIN r ON l.k = r.k;
