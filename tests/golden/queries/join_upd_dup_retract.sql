--pk=k
-- Retractions of duplicate rows in an updating LEFT JOIN, through an updating GROUP BY.
-- The join keeps only the columns its consumers read: the left side reads nothing but the
-- key k (a BIGINT, restored from the key bytes), so left rows 1, 2, 3 (all k 1) are stored
-- as identical packed rows, and right rows 101, 102 (k 1, w 5) too; a retraction must take
-- out exactly one of them and leave the others' pairs alone.
-- Inputs (debezium_json changes, hand-written):
--   join_dup_left.json: 1 k1, 2 k1, 3 k1, 4 k2, 5 k2, 6 k3, 7 k5, 8 k6; then 2 deleted,
--     3 moves k1 -> k2, 6 deleted. Final: 1 k1, 3 k2, 4 k2, 5 k2, 7 k5, 8 k6.
--   join_dup_right.json: 101 k1 w5, 102 k1 w5, 103 k2 w7, 104 k2 w5, 105 k4 w5, 106 k6 w5;
--     then 102 deleted, 104 moves k2 -> k1, 106 deleted (8's only partner leaves: 8 must be
--     padded again). Final: 101 k1 w5, 103 k2 w7, 104 k1 w5, 105 k4 w5.
-- Expected final state (by hand: the updating join's final state is the LEFT JOIN of the
-- inputs' final tables): k1: left 1 x right 101, 104 -> n 2, pairs 2, sw 10; k2: left 3, 4, 5
-- x right 103 -> n 3, pairs 3, sw 21; k5: 7 padded -> n 1, pairs 0, sw NULL; k6: 8 padded
-- -> n 1, pairs 0, sw NULL; k3 had rows along the way and must be gone.
CREATE TABLE l (
  id BIGINT PRIMARY KEY,
  k BIGINT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_dup_left.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE r (
  id BIGINT PRIMARY KEY,
  k BIGINT,
  w BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_dup_right.json',
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
SELECT l.k AS k, count(*) AS n, count(r.k) AS pairs, sum(r.w) AS sw
FROM l LEFT JOIN r ON l.k = r.k
GROUP BY 1;
