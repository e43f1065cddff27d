CREATE TABLE j (value JSON) WITH (connector = 'single_file', path = '/tmp/j.json',
  format = 'json', type = 'source', 'json.unstructured' = 'true');
SELECT value->'a'->0, value->>'b', json_get_str(value, 'c'), json_get_int(value, 'd', 1),
  extract_json_string(value, '$.e[0].f'), get_first_json_object(value, '$..g'),
  date_trunc('hour', to_timestamp('2023-01-01T10:20:30Z')) + INTERVAL '1 hour',
  regexp_replace(lpad(trim(both 'x' from 'xxaxx'), 5, '-'), '[a-z]+', 'Z', 'g')
FROM j;
