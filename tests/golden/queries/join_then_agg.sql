--pk=k
-- An updating GROUP BY over an updating LEFT JOIN of two debezium_json sources
-- (join_cdc_left.json, join_cdc_right.json; see join_cdc_left.sql): every pair the join
-- retracts (and every padded row it replaces or re-emits) must be retracted from the
-- aggregate. GROUP BY l.k (written GROUP BY 1; join_group_by_qualified covers the spelling
-- GROUP BY l.k): n = count(*) (pairs and padded rows), pairs = count(r.id).
-- Final join (join_cdc_left): a: (1,101), (1,109); b: (2,105), (3,105); e: 5 padded;
-- f: 7 padded; NULL: 8 padded. So a n 2 pairs 2 sv 22 sw 109; b n 2 pairs 2 sv 51 sw 10;
-- e n 1 pairs 0 sv 51; f n 1 pairs 0 sv 70; NULL n 1 pairs 0 sv 80 (sw NULL); the groups
-- c and d had rows along the way and must be gone.
-- Expected output: tests/golden/issue4_oracle.py replays both change files to their final
-- tables in Python and runs the same LEFT JOIN and GROUP BY in SQLite; independent of
-- arroyo-c.
CREATE TABLE l (
  id BIGINT PRIMARY KEY,
  k TEXT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_cdc_left.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE r (
  id BIGINT PRIMARY KEY,
  k TEXT,
  w BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_cdc_right.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT l.k AS k, count(*) AS n, count(r.id) AS pairs, sum(l.v) AS sv, sum(r.w) AS sw
FROM l LEFT JOIN r ON l.k = r.k
GROUP BY 1;
