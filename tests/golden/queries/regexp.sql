-- regexp_like (flag 'i': case-insensitive); regexp_replace replaces the first match unless
-- the 'g' flag is given; \1 \2 in the replacement are capture groups. For "a1b22c333",
-- ([a-z])([0-9]) -> \2\1 with 'g' swaps "a1" "b2" "c3" (matches do not overlap):
-- "1a" "2b" "2" "3c" "33" = "1a2b23c33".
CREATE TABLE t (
  id BIGINT NOT NULL,
  s TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/regex.json',
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
  regexp_like(s, '[0-9]+') AS has_digits,
  regexp_like(s, '^abc', 'i') AS abc_ci,
  regexp_replace(s, '[0-9]+', '#') AS first_only,
  regexp_replace(s, '[0-9]+', '#', 'g') AS all_matches,
  regexp_replace(s, '([a-z])([0-9])', '\2\1', 'g') AS swapped
FROM t;
