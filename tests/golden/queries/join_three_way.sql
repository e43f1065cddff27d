--pk=a_id,b_id,label
-- Three-way join: l a JOIN r b ON a.k = b.k LEFT JOIN c ON b.id = c.rid (the second join
-- reads the first one's updating output). join_third.json: 101 x, 104 y, 104 y2 (duplicate
-- rid), 107 z, 999 (no partner), NULL rid. The 17 pairs of a and b (see join_upd_inner),
-- those with b 104 twice (y, y2), those with b 102, 103, 108, 109 padded (label NULL).
-- Expected output: tests/golden/issue4_oracle.py runs the same query in SQLite over the
-- three input files; independent of arroyo-c.
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

CREATE TABLE c (
  rid BIGINT,
  label TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/join_third.json',
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
SELECT a.id AS a_id, b.id AS b_id, c.label AS label, a.k AS k
FROM l a JOIN r b ON a.k = b.k LEFT JOIN c ON b.id = c.rid;
