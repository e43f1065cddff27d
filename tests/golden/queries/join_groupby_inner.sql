--pk=l_id
-- Updating INNER JOIN of an append-only source (join_left.json) with an updating GROUP BY
-- without window over a debezium_json source (join_cdc_right.json): the groups' rows are
-- retracted and re-inserted as the counts change, and groups vanish (b's n 2 -> 1, e's
-- group is created, deleted, re-created and deleted again).
-- Final groups of r: a (101 w 100, 109 w 9) n 2 total 109; b n 1 total 5; c n 1 total 2;
-- d n 1 total 3; g n 1 total 6; NULL n 1 total 7 (never matches).
-- Final join: left 1, 2, 7 (a) -> (2, 109); 3, 9 (b) -> (1, 5); 4 (c) -> (1, 2); 8 (d) ->
-- (1, 3); left 5, 6 (NULL keys) match nothing. Each left row has at most one partner (one
-- group per key), so l_id keys the final state.
-- Expected output: tests/golden/issue4_oracle.py replays join_cdc_right.json to its final
-- table in Python and runs the same GROUP BY and JOIN in SQLite; independent of arroyo-c.
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
SELECT l.id AS l_id, l.k AS k, g.n AS n, g.total AS total
FROM l
JOIN (SELECT k, count(*) AS n, sum(w) AS total FROM r GROUP BY k) g
ON l.k = g.k;
