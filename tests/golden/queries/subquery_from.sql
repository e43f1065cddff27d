-- Subqueries in FROM, two levels deep. Inner: rows with b not NULL (ids 1 2 3 5), d = b * 2
-- (6 4 8 4). Middle: d >= 6 (ids 1 3), d1 = d + 1 (7 9). Outer renames through the alias.
CREATE TABLE t (
  id BIGINT NOT NULL,
  a BIGINT,
  b BIGINT,
  x DOUBLE,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/nums.json',
  format = 'json',
  type = 'source'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT outer_q.id AS id, outer_q.d1 AS d1
FROM (
  SELECT sub.id, sub.d + 1 AS d1
  FROM (SELECT id, b * 2 AS d FROM t WHERE b IS NOT NULL) AS sub
  WHERE sub.d >= 6
) AS outer_q;
