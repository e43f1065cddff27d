-- lower/upper (ASCII input here), length and char_length count characters, not bytes
-- ("héllo" is 5, "日本" is 2), concat skips NULL arguments, || with a NULL side is NULL.
CREATE TABLE t (
  id BIGINT NOT NULL,
  s TEXT,
  t TEXT,
  u TEXT
) WITH (
  connector = 'single_file',
  path = '$input_dir/strings.json',
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
  lower(s) AS lo,
  upper(s) AS up,
  length(s) AS len_s,
  length(u) AS len_u,
  char_length(u) AS chars_u,
  concat(s, '-', t) AS cat,
  s || t AS pipe,
  s || '!' AS bang
FROM t;
