-- Updating FULL JOIN of two updating GROUP BYs (no windows) over the debezium_json sources
-- join_cdc_left.json and join_cdc_right.json, ON the group keys. Groups come and go as rows
-- are updated and deleted (left c and d vanish; right e appears twice and vanishes).
-- Final left groups: a n 1 sv 11; b n 2 sv 51; e n 1 sv 51; f n 1 sv 70; NULL n 1 sv 80.
-- Final right groups: a n 2 sw 109; b n 1 sw 5; c, d, g n 1; NULL n 1 sw 7.
-- Final join: a and b match; e, f and the left NULL group padded on the right; c, d, g and
-- the right NULL group padded on the left (the two NULL groups do not match each other).
-- No --pk: the two NULL-group rows both have lk and rk NULL, so the whole row is the key
-- (every final row is distinct).
-- Expected output: tests/golden/issue4_oracle.py replays both change files to their final
-- tables in Python and runs both GROUP BYs and the FULL JOIN in SQLite; independent of
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
SELECT gl.k AS lk, gl.n AS ln, gl.sv AS sv, gr.k AS rk, gr.n AS rn, gr.sw AS sw
FROM (SELECT k, count(*) AS n, sum(v) AS sv FROM l GROUP BY k) gl
FULL JOIN (SELECT k, count(*) AS n, sum(w) AS sw FROM r GROUP BY k) gr
ON gl.k = gr.k;
