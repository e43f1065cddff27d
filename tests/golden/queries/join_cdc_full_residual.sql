--pk=l_id,r_id
-- Updating FULL JOIN of two updating (debezium_json) sources with a residual condition:
-- ON l.k = r.k AND l.v < r.w. A preserved row is padded with NULLs while no stored row of
-- the other side passes the whole ON; the padded row is retracted when its first passing
-- partner arrives and emitted again when its last one leaves (a delete, or an update that
-- moves the partner's key or makes the residual fail), on either side.
-- Inputs (outer_cdc_left.json, outer_cdc_right.json, written by the oracle): debezium changes
-- on both sides that make pairs pass and fail the residual along the way: a's left rows 1 and
-- 2 (v 10) pair with 101 and 102 (w 20), then 1 moves to v 40, 101 to w 50, 2 and 102 are
-- deleted, 109 (w 41) comes and goes; b's 3 fails against 103 (w 40) until it moves from v 50
-- to v 5; c's 5 pairs with 104 after moving to v 1 until 104 moves to w 0 (5 padded again);
-- e's 10 pairs with 108 until it moves to v 30; NULL keys on both sides, a NULL v, a key
-- with right rows only (f), d whose rows never pass. The inputs interleave arbitrarily; only
-- the final state is compared (strictly replayed at parallelism 1).
-- Expected output: tests/golden/join_outer_oracle.py (Python replays both change files to their final tables and SQLite runs the
-- same FULL JOIN over them); independent of arroyo-c.
CREATE TABLE l (
  id BIGINT PRIMARY KEY,
  k TEXT,
  v BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/outer_cdc_left.json',
  format = 'debezium_json',
  type = 'source'
);

CREATE TABLE r (
  id BIGINT PRIMARY KEY,
  k TEXT,
  w BIGINT
) WITH (
  connector = 'single_file',
  path = '$input_dir/outer_cdc_right.json',
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
SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk, r.w AS w
FROM l FULL JOIN r ON l.k = r.k AND l.v < r.w;
