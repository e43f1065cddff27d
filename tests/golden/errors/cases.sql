-- tests/golden/errors/cases.sql: compile errors and where they are reported.
--
-- Each case starts with a header line "-- case NAME: LINE:COL: error: TEXT". Its SQL is every
-- line up to the next header; line 1 is the line right after the header. The runner writes
-- the case to NAME.sql, runs bin/arroyo-compile on it, and requires a non-zero exit, no -o
-- file, and stderr containing "NAME.sql:LINE:COL: error: TEXT" (a prefix of the message).
-- Columns are 1-based byte offsets of the offending token (operator, name, option key).

-- case unknown_column: 2:17: error: unknown column
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT counter, nope FROM impulse;

-- case unknown_function: 4:3: error: unknown function
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT
  counter,
  frobnicate(counter) AS f
FROM impulse;

-- case unknown_table: 2:15: error: unknown table
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT x FROM missing_table;

-- case unknown_connector: 2:3: error: unknown connector
CREATE TABLE t (id BIGINT) WITH (
  connector = 'nope',
  type = 'source'
);
SELECT id FROM t;

-- case unknown_option: 4:3: error: unknown option
CREATE TABLE impulse WITH (
  connector = 'impulse',
  event_rate = '10',
  colour = 'blue'
);
SELECT counter FROM impulse;

-- case syntax_error_where: 2:34: error: syntax error
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT counter FROM impulse WHERE;

-- case syntax_error_keyword: 2:1: error: syntax error
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELEC counter FROM impulse;

-- case syntax_error_after_comments: 5:46: error: syntax error
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
-- a line comment
/* a block comment
   over two lines */ SELECT counter
FROM impulse WHERE counter > 1 AND counter < ;

-- case type_mismatch: 2:14: error: cannot apply
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT 'abc' + counter AS x FROM impulse;

-- case unterminated_string: 2:8: error: unterminated
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT 'abc FROM impulse;

-- case window_into_wrong_struct: 3:1: error: INSERT INTO o: a window (column 1, 'w') can only be written into a STRUCT<start TIMESTAMP, end TIMESTAMP> column
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE TABLE o (w STRUCT<a TIMESTAMP, b TIMESTAMP>, n BIGINT) WITH (connector = 'stdout', format = 'json', type = 'sink');
INSERT INTO o SELECT tumble(interval '1 second') AS w, count(*) AS n FROM impulse GROUP BY 1;

-- case interval_out_of_range: 2:73: error: invalid interval literal '199999999999999999999 seconds'
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT count(*) FROM impulse GROUP BY hop(interval '2 second', interval '199999999999999999999 seconds');

-- case topn_append_sink: 3:1: error: INSERT INTO o: the query produces an updating result
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'sink');
INSERT INTO o SELECT k, a FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY a) AS rn FROM t) WHERE rn <= 2;

-- case topn_no_limit: 3:47: error: row_number() without a window in PARTITION BY needs a filter on its result
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, a, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY a) AS rn FROM t);

-- case topn_updating_input: 3:46: error: row_number() over an updating input
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, c FROM (SELECT k, c, ROW_NUMBER() OVER (PARTITION BY k ORDER BY c) AS rn
  FROM (SELECT k, count(*) AS c FROM t GROUP BY k)) WHERE rn <= 2;

-- case topn_limit_too_large: 3:43: error: an updating top-N keeps at most 10000 rows per partition
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, a FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY a) AS rn FROM t) WHERE rn <= 20000;

-- case lookup_unbounded_table: 3:41: error: FOR SYSTEM_TIME AS OF needs a bounded, append-only table
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE TABLE side WITH (connector = 'impulse', event_rate = '10', message_count = '1');
SELECT a.counter FROM impulse AS a JOIN side FOR SYSTEM_TIME AS OF now() AS b ON a.counter = b.counter;

-- case lookup_view: 3:58: error: FOR SYSTEM_TIME AS OF needs a bounded, append-only table (a single_file source with format 'json') on the right of a lookup join, but 'v' is a view
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE VIEW v AS SELECT counter FROM impulse;
SELECT impulse.counter, v.counter AS c FROM impulse JOIN v FOR SYSTEM_TIME AS OF now() ON impulse.counter = v.counter;

-- case lookup_right_join: 3:42: error: a lookup join (FOR SYSTEM_TIME AS OF) is INNER or LEFT, not RIGHT
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE TABLE side (k BIGINT, v TEXT) WITH (connector = 'single_file', path = 'side.json', format = 'json', type = 'source');
SELECT impulse.counter, s.v FROM impulse RIGHT JOIN side FOR SYSTEM_TIME AS OF now() AS s ON impulse.counter = s.k;

-- case lookup_first_item: 3:20: error: FOR SYSTEM_TIME AS OF belongs to the right side of a JOIN
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE TABLE side (k BIGINT, v TEXT) WITH (connector = 'single_file', path = 'side.json', format = 'json', type = 'source');
SELECT v FROM side FOR SYSTEM_TIME AS OF now();

-- case lookup_as_of_not_time: 3:74: error: FOR SYSTEM_TIME AS OF takes a TIMESTAMP, not BIGINT UNSIGNED
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE TABLE side (k BIGINT, v TEXT) WITH (connector = 'single_file', path = 'side.json', format = 'json', type = 'source');
SELECT impulse.counter, s.v FROM impulse JOIN side FOR SYSTEM_TIME AS OF impulse.counter AS s ON impulse.counter = s.k;

-- case lookup_no_key: 3:104: error: a lookup join needs at least one equality
CREATE TABLE impulse WITH (connector = 'impulse', event_rate = '10', message_count = '1');
CREATE TABLE side (k BIGINT, v TEXT) WITH (connector = 'single_file', path = 'side.json', format = 'json', type = 'source');
SELECT impulse.counter, s.v FROM impulse JOIN side FOR SYSTEM_TIME AS OF now() AS s ON impulse.counter > s.k;

-- case over_range_frame: 3:64: error: range window frames are not supported
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, sum(a) OVER (PARTITION BY k ORDER BY a RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS x FROM t;

-- case over_following: 3:93: error: only window frames that end at the CURRENT ROW are supported
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, sum(a) OVER (PARTITION BY k ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS x FROM t;

-- case over_default_frame: 3:25: error: sum() OVER (... ORDER BY ...) needs an explicit ROWS BETWEEN
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, sum(a) OVER (PARTITION BY k ORDER BY a) AS x FROM t;

-- case over_unsupported_function: 3:25: error: window function 'median' is not supported
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, median(a) OVER (PARTITION BY k ORDER BY a ROWS 2 PRECEDING) AS x FROM t;

-- case over_different_clauses: 4:3: error: window function calls in one SELECT must share one OVER clause
CREATE TABLE t (k TEXT, a BIGINT) WITH (connector = 'single_file', path = '/dev/null', format = 'json', type = 'source');
CREATE TABLE o WITH (connector = 'single_file', path = '/dev/null', format = 'debezium_json', type = 'sink');
INSERT INTO o SELECT k, sum(a) OVER (PARTITION BY k ORDER BY a ROWS 2 PRECEDING) AS x,
  max(a) OVER (PARTITION BY k ORDER BY a ROWS 3 PRECEDING) AS y FROM t;

-- case join_struct_input: 4:16: error: INNER JOIN: its left input's column 'person' is a STRUCT, which cannot be shuffled
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '10');
CREATE TABLE o WITH (connector = 'blackhole', type = 'sink');
INSERT INTO o SELECT a.bid.price AS p
FROM nexmark a JOIN nexmark b ON a.bid.auction = b.bid.auction;
