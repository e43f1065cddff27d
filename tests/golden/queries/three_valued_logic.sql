-- AND / OR / NOT with NULLs (SQL three-valued logic). p = a > 1, q = b > 2 per row:
--   id 1: p T q T -> and T, or T, not_p F     id 4: p F q N -> and F, or N, not_p T
--   id 2: p F q F -> and F, or F, not_p T     id 5: p T q F -> and F, or T, not_p F
--   id 3: p N q T -> and N, or T, not_p N     id 6: p N q N -> and N, or N, not_p N
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
SELECT id, a > 1 AND b > 2 AS p_and_q, a > 1 OR b > 2 AS p_or_q, NOT (a > 1) AS not_p
FROM t;
