-- A json.unstructured source has one column, value JSON, holding each whole line.
-- -> returns JSON text (a string value keeps its quotes; a missing key or a path through a
-- missing key gives the text "null"; JSON null also gives "null"). ->> and json_get_str
-- return unquoted text, NULL for a missing key or JSON null; json_get_str and json_get_int
-- are NULL when the value has another type ("unknown" is not an int, 31 is not a string).
-- extract_json_string / get_first_json_object take a JSONPath; NULL when nothing matches.
-- Nested values in docs.json are compact with sorted keys, so their JSON text is unambiguous.
CREATE TABLE docs (
  value JSON
) WITH (
  connector = 'single_file',
  path = '$input_dir/docs.json',
  format = 'json',
  type = 'source',
  'json.unstructured' = 'true'
);

CREATE TABLE out WITH (
  connector = 'single_file',
  path = '$output_path',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT
  value->'user' AS user_json,
  value->>'user' AS user_text,
  json_get_str(value, 'user') AS user_str,
  json_get_int(value, 'age') AS age,
  json_get_str(value, 'age') AS age_str,
  value->'tags' AS tags,
  value->'tags'->0 AS tag0,
  value->'addr'->'city' AS city_json,
  value->>'missing' AS missing_text,
  value->'missing' AS missing_json,
  extract_json_string(value, '$.addr.city') AS city,
  get_first_json_object(value, '$.addr') AS addr
FROM docs;
