-- LIKE (case-sensitive; % any run, _ one character), ILIKE (case-insensitive), NOT LIKE.
-- s per id: apple, Banana, NULL, cherry pie, apricot, APPLE. '%an_na' matches only
-- "Banana" (suffix "anana"); '_pple' matches "apple" but not "APPLE".
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
  s LIKE 'a%' AS starts_a,
  s LIKE '%an_na' AS anana,
  s LIKE '_pple' AS pple,
  s ILIKE 'APP%' AS app_ci,
  s NOT LIKE '% %' AS no_space
FROM t;
