-- IN lists and BETWEEN (inclusive) with NULLs: a NULL operand gives NULL; x IN (..., NULL)
-- is TRUE on a match and NULL otherwise (never FALSE). a per id: 5 -7 NULL 0 2 NULL;
-- b per id: 3 2 4 NULL 2 NULL.
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
  a IN (2, 5, 7) AS a_in,
  a NOT IN (0, 2) AS a_not_in,
  a IN (5, NULL) AS a_in_null,
  a BETWEEN -7 AND 2 AS a_btw,
  b NOT BETWEEN 3 AND 4 AS b_nbtw
FROM t;
