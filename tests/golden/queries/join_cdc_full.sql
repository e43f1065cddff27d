--pk=l_id,r_id
-- Updating FULL JOIN of two updating (debezium_json) sources on k, written to a
-- debezium_json sink; compared on the final state keyed by (l_id, r_id), unique in it.
-- Inputs (written by tests/golden/issue4_oracle.py), debezium_json changes (c/u/d):
--   join_cdc_left.json: ids 1-8; 2 moves a -> b, 4 (c) and 6 (d) are deleted, 1 changes
--     its v, 5 goes from a NULL key to e, 7 from e to f. Final: 1 a 11, 2 b 21, 3 b 30,
--     5 e 51, 7 f 70, 8 NULL 80.
--   join_cdc_right.json: 101 a (w 1 -> 100), 102 b -> c, 103 d, 104 e deleted, 105 b,
--     106 g, 107 NULL, 108 e created then deleted, 109 a. Final: 101 a 100, 102 c 2,
--     103 d 3, 105 b 5, 106 g 6, 107 NULL 7, 109 a 9.
--   Along the way pairs appear and must be retracted (which ones depends on how the two
--   sources interleave), e.g. (1, 101) with w 1, (5, 104) and (5, 108) while e had right
--   rows, (3, 102) and (2, 102) while 102 was b; outer joins must re-pad a row whose last
--   partner left (5 after 104's and 108's deletes; 102 when it moves to c, whose only left
--   row 4 was deleted). join_cdc_self covers retractions driven by the left side.
-- Expected final state: (1,101), (1,109), (2,105), (3,105); 5, 7, 8 padded on the right; 102, 103, 106, 107 padded on the left.
-- Expected output: tests/golden/issue4_oracle.py replays both change files to their final
-- tables in Python and runs the same FULL JOIN over them in SQLite (the final state of an
-- updating join = the join of the inputs' final states); independent of arroyo-c.
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
SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk, r.w AS w
FROM l FULL JOIN r ON l.k = r.k;
