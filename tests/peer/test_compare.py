"""tests/peer/test_compare.py: unit tests of run_peer.py's comparison logic (the peer README's
"Comparison semantics") and its directive and error-case parsing.

Run: python3 -m unittest discover -s tests/peer -p 'test_*.py'
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_peer as rp  # noqa: E402


def lines(*rows):
    return "".join(r + "\n" for r in rows)


def cmp(out, golden, pk=None):
    return rp.compare_outputs(out, golden, pk)[0]


class JsonEquality(unittest.TestCase):
    def test_int_is_not_float(self):
        self.assertFalse(rp.json_equal(1, 1.0))
        self.assertFalse(cmp(lines('{"a":1}'), lines('{"a":1.0}')))
        self.assertTrue(cmp(lines('{"a":1.0}'), lines('{"a":1.0}')))

    def test_float_exact_as_f64(self):
        self.assertTrue(cmp(lines('{"a":1.50}'), lines('{"a":1.5}')))
        self.assertTrue(cmp(lines('{"a":1e2}'), lines('{"a":100.0}')))
        self.assertFalse(cmp(lines('{"a":0.30000000000000004}'), lines('{"a":0.3}')))
        self.assertTrue(cmp(lines('{"a":-0.0}'), lines('{"a":0.0}')))

    def test_bool_is_not_number(self):
        self.assertFalse(rp.json_equal(True, 1))
        self.assertFalse(cmp(lines('{"a":true}'), lines('{"a":1}')))
        self.assertFalse(cmp(lines('{"a":0}'), lines('{"a":false}')))

    def test_key_order_irrelevant(self):
        self.assertTrue(cmp(lines('{"a":1,"b":{"x":1,"y":2}}'), lines('{"b":{"y":2,"x":1},"a":1}')))

    def test_missing_key_is_not_null(self):
        self.assertFalse(cmp(lines('{"a":1}'), lines('{"a":1,"b":null}')))
        self.assertFalse(cmp(lines('{"a":1,"b":null}'), lines('{"a":1}')))

    def test_strings_exact(self):
        self.assertFalse(cmp(lines('{"t":"2023-09-18T14:23:10"}'), lines('{"t":"2023-09-18T14:23:10Z"}')))
        self.assertFalse(cmp(lines('{"s":"\\"pickup\\""}'), lines('{"s":"pickup"}')))
        self.assertTrue(cmp(lines('{"s":"\\u00e9"}'), lines('{"s":"\u00e9"}')))

    def test_nested_lists(self):
        self.assertTrue(rp.json_equal([1, [2.0, "x"]], [1, [2.0, "x"]]))
        self.assertFalse(rp.json_equal([1, [2.0]], [1, [2]]))
        self.assertFalse(rp.json_equal([1, 2], [2, 1]))


class AppendMode(unittest.TestCase):
    def test_order_ignored(self):
        self.assertTrue(cmp(lines('{"a":2}', '{"a":1}'), lines('{"a":1}', '{"a":2}')))

    def test_duplicates_are_a_multiset(self):
        self.assertTrue(cmp(lines('{"a":1}', '{"a":1}', '{"a":2}'),
                            lines('{"a":2}', '{"a":1}', '{"a":1}')))
        self.assertFalse(cmp(lines('{"a":1}', '{"a":2}', '{"a":2}'),
                             lines('{"a":1}', '{"a":1}', '{"a":2}')))
        self.assertFalse(cmp(lines('{"a":1}'), lines('{"a":1}', '{"a":1}')))
        self.assertFalse(cmp(lines('{"a":1}', '{"a":1}'), lines('{"a":1}')))

    def test_empty_output_fails_even_if_golden_empty(self):
        ok, reason, _ = rp.compare_outputs("", "", None)
        self.assertFalse(ok)
        self.assertIn("empty", reason)
        self.assertFalse(cmp("\n", ""))

    def test_non_object_line_fails(self):
        self.assertFalse(cmp(lines('[1]'), lines('[1]')))
        self.assertFalse(cmp(lines('{"a":1}', 'oops'), lines('{"a":1}', 'oops')))
        self.assertFalse(cmp(lines('{"a":1}', ''), lines('{"a":1}', '')))

    def test_reason_names_rows(self):
        ok, reason, diff = rp.compare_outputs(lines('{"a":1.0}'), lines('{"a":1}'))
        self.assertFalse(ok)
        self.assertIn('{"a":1.0}', reason)
        self.assertEqual(diff, ['  + {"a":1.0}', '  - {"a":1}'])

    def test_op_not_in_first_line_means_append_mode(self):
        out = lines('{"x":1}', '{"op":"c","before":null,"after":{"x":1}}')
        self.assertTrue(cmp(out, out))


def c(row):
    return '{"before":null,"after":%s,"op":"c"}' % row


def u(before, after):
    return '{"before":%s,"after":%s,"op":"u"}' % (before, after)


def d(row):
    return '{"before":%s,"after":null,"op":"d"}' % row


class DebeziumMode(unittest.TestCase):
    def test_final_state_only(self):
        out = lines(c('{"k":1,"v":1}'), u('{"k":1,"v":1}', '{"k":1,"v":2}'), c('{"k":2,"v":5}'))
        golden = lines(c('{"k":2,"v":5}'), c('{"k":1,"v":2}'))
        self.assertTrue(cmp(out, golden, ["k"]))
        self.assertTrue(cmp(out, golden))  # without pk the whole row is the key
        self.assertFalse(cmp(out, lines(c('{"k":1,"v":2}')), ["k"]))

    def test_delete_then_insert(self):
        out = lines(c('{"k":1,"v":1}'), d('{"k":1,"v":1}'), c('{"k":1,"v":3}'))
        self.assertTrue(cmp(out, lines(c('{"k":1,"v":3}')), ["k"]))

    def test_pk_only_compares_key_on_retraction(self):
        # With a pk, "before" only has to match by key.
        out = lines(c('{"k":1,"v":1}'), u('{"k":1,"v":999}', '{"k":1,"v":2}'))
        self.assertTrue(cmp(out, lines(c('{"k":1,"v":2}')), ["k"]))
        # Without a pk the whole before-row is the key, so it must match exactly.
        self.assertFalse(cmp(out, lines(c('{"k":1,"v":2}'))))

    def test_insert_existing_key_fails(self):
        out = lines(c('{"k":1,"v":1}'), c('{"k":1,"v":2}'))
        ok, reason, _ = rp.compare_outputs(out, lines(c('{"k":1,"v":2}')), ["k"])
        self.assertFalse(ok)
        self.assertIn("already exists", reason)

    def test_update_missing_key_fails(self):
        out = lines(c('{"k":1}'), u('{"k":2}', '{"k":3}'))
        self.assertFalse(cmp(out, lines(c('{"k":3}'), c('{"k":1}')), ["k"]))

    def test_update_onto_existing_key_fails(self):
        out = lines(c('{"k":1}'), c('{"k":2}'), u('{"k":1}', '{"k":2}'))
        ok, reason, _ = rp.compare_outputs(out, lines(c('{"k":2}')), ["k"])
        self.assertFalse(ok)
        self.assertIn("already exists", reason)

    def test_delete_missing_key_fails(self):
        self.assertFalse(cmp(lines(c('{"k":1}'), d('{"k":2}')), lines(c('{"k":1}')), ["k"]))

    def test_unknown_op_fails(self):
        self.assertFalse(cmp(lines(c('{"k":1}'), '{"before":null,"after":{"k":2},"op":"r"}'),
                             lines(c('{"k":1}'), c('{"k":2}')), ["k"]))

    def test_golden_is_replayed_too(self):
        bad_golden = lines(c('{"k":1}'), c('{"k":1}'))
        ok, reason, _ = rp.compare_outputs(lines(c('{"k":1}')), bad_golden, ["k"])
        self.assertFalse(ok)
        self.assertIn("golden line 2", reason)

    def test_append_golden_with_debezium_output_fails(self):
        self.assertFalse(cmp(lines(c('{"k":1}')), lines('{"k":1}')))

    def test_pk_int_vs_float_are_different_keys(self):
        out = lines(c('{"k":1,"v":0}'), c('{"k":1.0,"v":0}'))
        self.assertTrue(cmp(out, lines(c('{"k":1.0,"v":0}'), c('{"k":1,"v":0}')), ["k"]))

    def test_multi_column_pk(self):
        out = lines(c('{"a":1,"b":"x","v":1}'), c('{"a":1,"b":"y","v":2}'),
                    u('{"a":1,"b":"x","v":1}', '{"a":1,"b":"x","v":3}'))
        golden = lines(c('{"a":1,"b":"y","v":2}'), c('{"a":1,"b":"x","v":3}'))
        self.assertTrue(cmp(out, golden, ["a", "b"]))
        self.assertFalse(cmp(out, golden, ["a"]))  # "a" alone: second c collides

    def test_values_strict_in_final_state(self):
        self.assertFalse(cmp(lines(c('{"k":1,"v":2}')), lines(c('{"k":1,"v":2.0}')), ["k"]))

    def test_extra_fields_ignored(self):
        out = lines('{"before":null,"after":{"k":1},"op":"c","ts_ms":5,"source":{}}')
        self.assertTrue(cmp(out, lines(c('{"k":1}')), ["k"]))


class DebeziumUnordered(unittest.TestCase):
    """ordered=False: outputs of several subtasks (parallelism > 1)."""

    def cmp(self, out, golden, pk):
        return rp.compare_outputs(out, golden, pk, ordered=False)

    def test_key_may_hold_two_rows_for_a_while(self):
        # subtask B pads key 7 again before subtask A's retraction of the old row arrives
        out = lines(c('{"k":7,"v":1}'), c('{"k":7,"v":2}'), d('{"k":7,"v":1}'))
        self.assertTrue(self.cmp(out, lines(c('{"k":7,"v":2}')), ["k"])[0])
        # the strict (ordered) replay refuses the same output
        self.assertFalse(rp.compare_outputs(out, lines(c('{"k":7,"v":2}')), ["k"])[0])

    def test_two_rows_at_the_end_fail(self):
        out = lines(c('{"k":7,"v":1}'), c('{"k":7,"v":2}'))
        ok, reason, _ = self.cmp(out, lines(c('{"k":7,"v":2}')), ["k"])
        self.assertFalse(ok)
        self.assertIn("holds 2 rows", reason)

    def test_retraction_needs_its_exact_row(self):
        out = lines(c('{"k":1,"v":1}'), u('{"k":1,"v":999}', '{"k":1,"v":2}'))
        ok, reason, _ = self.cmp(out, lines(c('{"k":1,"v":2}')), ["k"])
        self.assertFalse(ok)
        self.assertIn("not there", reason)

    def test_values_still_compared(self):
        out = lines(c('{"k":1,"v":1}'), u('{"k":1,"v":1}', '{"k":1,"v":3}'))
        self.assertFalse(self.cmp(out, lines(c('{"k":1,"v":2}')), ["k"])[0])
        self.assertTrue(self.cmp(out, lines(c('{"k":1,"v":3}')), ["k"])[0])


class Directives(unittest.TestCase):
    def test_fail(self):
        self.assertEqual(rp.parse_directive("--fail=unknown column\nSELECT 1"),
                         ("unknown column", None))
        self.assertEqual(rp.parse_directive("--fail\nSELECT 1"), ("", None))
        self.assertEqual(rp.parse_directive("--fail=a: b \r\nx"), ("a: b", None))

    def test_pk(self):
        self.assertEqual(rp.parse_directive("--pk=a, b\n"), (None, ["a", "b"]))

    def test_none(self):
        self.assertEqual(rp.parse_directive("CREATE TABLE t (a INT);\n--fail=x"), (None, None))
        self.assertEqual(rp.parse_directive("-- a comment\n"), (None, None))

    def test_error_cases(self):
        text = ("-- header comment ignored\n"
                "-- case one: 1:8: error: unknown column\n"
                "SELECT nope FROM t;\n\n"
                "-- case two: 2:1: error: syntax error\n"
                "CREATE TABLE t (a INT);\n"
                "SELEC 1;\n")
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write(text)
        try:
            cases = rp.parse_error_cases(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(cases, [
            ("one", "1:8: error: unknown column", "SELECT nope FROM t;\n"),
            ("two", "2:1: error: syntax error", "CREATE TABLE t (a INT);\nSELEC 1;\n")])


if __name__ == "__main__":
    unittest.main()
