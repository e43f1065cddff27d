CREATE TABLE t (a BIGINT) WITH (connector = 'nope', x = 'y');
SELECT b, f(a), 'abc' + 1, "quoted ident", 1.5e3, -9223372036854775808, /* c */ a
FROM t WHERE a IS DISTINCT FROM NULL AND NOT (a IS NOT DISTINCT FROM 1) -- tail
