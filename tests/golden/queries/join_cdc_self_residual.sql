--pk=x_id,y_id
-- Updating FULL self join of one debezium_json source with a residual condition: ON x.k = y.k
-- AND x.v < y.v. Every change reaches both sides, so an update of one row moves the match
-- counts of its partners on the other side and its own: a row is padded on a side while no
-- row of its key has a larger v (x side) or a smaller v (y side), and re-padded or un-padded
-- as updates and deletes change that (a's 1 and 2 at v 10 pair with nothing until 1 moves to
-- v 40; 2 is deleted; b's 3 and 9 at v 50 until 3 moves to v 5; NULL keys and a NULL v never
-- pair). Input: outer_cdc_left.json (see join_cdc_left_residual.sql).
-- Expected output: tests/golden/join_outer_oracle.py replays the change file to its final
-- table in Python and runs the same FULL self join over it in SQLite; independent of arroyo-c.
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

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT x.id AS x_id, y.id AS y_id, x.k AS k, x.v AS xv, y.v AS yv
FROM l x FULL JOIN l y ON x.k = y.k AND x.v < y.v;
