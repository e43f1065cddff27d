--pk=k
-- An updating GROUP BY directly over a join, naming the group key by a qualified column
-- (SELECT l.k ... GROUP BY l.k): valid SQL, the select item is the group key itself.
-- join_left.json x join_right.json ON l.k = r.k (see join_upd_inner.sql): a 12 pairs,
-- sum(r.w) = 3 * (15 + 25 + 5 + 12) = 171; b 4 pairs, 2 * (40 + 8) = 96; d 1 pair, 100.
-- Expected output: tests/golden/issue4_oracle.py runs the same query in SQLite over the
-- two files; independent of arroyo-c.
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
SELECT l.k AS k, count(*) AS n, sum(r.w) AS sw
FROM l JOIN r ON l.k = r.k
GROUP BY l.k;
