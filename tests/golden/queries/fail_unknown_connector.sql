--fail=unknown connector
CREATE TABLE t (
  id BIGINT
) WITH (
  connector = 'no_such_connector',
  type = 'source'
);

SELECT id FROM t;
