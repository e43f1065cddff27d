-- IS [NOT] NULL, IS [NOT] DISTINCT FROM (NULL vs NULL is not distinct; never NULL itself),
-- COALESCE (first non-NULL), NULLIF (NULL when equal). Rows (a, b, s):
--   1 (5, 3, apple) 2 (-7, 2, Banana) 3 (NULL, 4, NULL) 4 (0, NULL, cherry pie)
--   5 (2, 2, apricot) 6 (NULL, NULL, APPLE)
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
SELECT id,
  a IS NULL AS a_null,
  s IS NOT NULL AS s_set,
  a IS DISTINCT FROM b AS a_dist_b,
  a IS NOT DISTINCT FROM b AS a_same_b,
  COALESCE(a, b, -1) AS a_or_b,
  NULLIF(a, 0) AS a_nz,
  NULLIF(b, 2) AS b_n2
FROM t;
