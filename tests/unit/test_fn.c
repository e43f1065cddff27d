/*
** tests/unit/test_fn.c: unit tests for the runtime scalar functions, called the way generated
** code calls them: through the RtApi table from rt_api(), on a ctx from rt_ctx_new().
**
** Covers strings, LIKE, regexes, math, casts, date/time and JSON, with edge cases (empty
** strings, multi-byte UTF-8, zero/negative positions, NULL results, error messages,
** leap years and month-end clamping, pre-1970 timestamps, JSON escapes and paths).
** It does not test the worker or the codecs.
*/
#include <math.h>
#include <stdlib.h>
#include "runtime.h"
#include "unit.h"

static const RtApi *A;
static RtCtx *C;

static RtStr S(const char *s) { return rt_str(s, (int64_t)strlen(s)); }

/* NUL-terminated copy of a result, from a ring of buffers so several can be live at once. */
static const char *Z(RtStr s) {
  static char ring[8][4096];
  static int k;
  char *b = ring[k++ & 7];
  int64_t n = s.len < 4095 ? s.len : 4095;
  if (n > 0) memcpy(b, s.ptr, (size_t)n);
  b[n > 0 ? n : 0] = 0;
  return b;
}

/* Forget the recorded error so the next check starts clean. */
static void clear_err(void) { C->failed = 0; C->err[0] = 0; }

/* An RT_ERR whose message contains `want`. */
#define CHECK_ERR(call, want) do { clear_err(); int rc_ = (call); \
  CHECK_MSG(rc_ == RT_ERR && strstr(C->err, want), "rc=%d err=\"%s\" want \"%s\"", rc_, C->err, want); \
  clear_err(); } while (0)

/* ---- strings --------------------------------------------------------------------------- */

static const char *s1(int (*f)(RtCtx *, RtStr, RtStr *), const char *in) {
  RtStr o;
  if (f(C, S(in), &o) != RT_OK) return "(error)";
  return Z(o);
}

static void test_case(void) {
  CHECK_STR(s1(A->fn_lower, "Hello WORLD 123"), "hello world 123");
  CHECK_STR(s1(A->fn_lower, ""), "");
  CHECK_STR(s1(A->fn_upper, "hello world, a longer ascii string!"), "HELLO WORLD, A LONGER ASCII STRING!");
  CHECK_STR(s1(A->fn_lower, "ÀÉÎÕÜ Ÿ ĀĂ ΑΒΓ ДЖЯ Ѐ"), "àéîõü ÿ āă αβγ джя ѐ");
  CHECK_STR(s1(A->fn_upper, "àéîõü ÿ āă αβγ джя ѐ"), "ÀÉÎÕÜ Ÿ ĀĂ ΑΒΓ ДЖЯ Ѐ");
  CHECK_STR(s1(A->fn_upper, "straße"), "STRASSE");
  CHECK_STR(s1(A->fn_upper, "ǆ µ ı"), "ǆ Μ I");   /* ǆ has no simple mapping here */
  CHECK_STR(s1(A->fn_lower, "ΟΔΟΣ ΣΑ Σ"), "οδος σα σ");      /* final sigma */
  CHECK_STR(s1(A->fn_lower, "ＡＢＣ"), "ａｂｃ");
  CHECK_STR(s1(A->fn_upper, "日本語 abc"), "日本語 ABC");
  /* the word-at-a-time path around a multi-byte character */
  CHECK_STR(s1(A->fn_lower, "ABCDEFGHIJKLMNOPé QRSTUVWXYZ0123456789"), "abcdefghijklmnopé qrstuvwxyz0123456789");
  RtStr in = S("already lower"), o;
  A->fn_lower(C, in, &o);
  CHECK(o.ptr == in.ptr && o.len == in.len);                       /* no copy when unchanged */
  CHECK_STR(s1(A->fn_initcap, "hello wORLD-foo bar_baz 1st"), "Hello World-Foo Bar_Baz 1st");
  CHECK_STR(s1(A->fn_initcap, "élan VITAL"), "Élan Vital");
  CHECK_STR(s1(A->fn_initcap, ""), "");
  CHECK_STR(s1(A->fn_reverse, "abc"), "cba");
  CHECK_STR(s1(A->fn_reverse, "añb€😀"), "😀€bña");
  CHECK_STR(s1(A->fn_reverse, ""), "");
}

static void test_length_substr(void) {
  int64_t n;
  A->fn_char_length(C, S(""), &n); CHECK_I64(n, 0);
  A->fn_char_length(C, S("hello"), &n); CHECK_I64(n, 5);
  A->fn_char_length(C, S("héllo wörld, ünïcödé text €😀"), &n); CHECK_I64(n, 28);
  RtStr o;
#define SUB(s, st, ln, hl, want) do { CHECK(A->fn_substr(C, S(s), st, ln, hl, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  SUB("alphabet", 3, 0, 0, "phabet");
  SUB("alphabet", 3, 2, 1, "ph");
  SUB("alphabet", 0, 3, 1, "al");           /* position 0 uses up one of the 3 */
  SUB("alphabet", -1, 3, 1, "a");
  SUB("alphabet", -5, 3, 1, "");
  SUB("alphabet", 0, 0, 0, "alphabet");
  SUB("alphabet", -3, 0, 0, "alphabet");
  SUB("alphabet", 9, 2, 1, "");
  SUB("alphabet", 8, 100, 1, "t");
  SUB("alphabet", 2, INT64_MAX, 1, "lphabet");  /* start + len overflows: saturates */
  SUB("ñandú€x", 2, 4, 1, "andú");
  SUB("ñandú€x", 6, 1, 1, "€");
  SUB("", 1, 1, 1, "");
  CHECK_ERR(A->fn_substr(C, S("abc"), 1, -1, 1, &o), "negative substring length");
#undef SUB
}

static void test_concat_trim_replace(void) {
  RtStr o;
  RtStr args[4] = {S("a"), S("XX"), S(""), S("ñ")};
  uint8_t nulls[4] = {0, 1, 0, 0};
  CHECK(A->fn_concat(C, args, nulls, 4, &o) == RT_OK); CHECK_STR(Z(o), "añ");
  CHECK(A->fn_concat(C, args, NULL, 4, &o) == RT_OK); CHECK_STR(Z(o), "aXXñ");
  CHECK(A->fn_concat(C, args, nulls, 0, &o) == RT_OK); CHECK_I64(o.len, 0);
  uint8_t all[2] = {1, 1};
  CHECK(A->fn_concat(C, args, all, 2, &o) == RT_OK); CHECK_I64(o.len, 0);

#define TRIM(s, ch, has, w, want) do { CHECK(A->fn_trim(C, S(s), S(ch), has, w, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  TRIM("  a b  ", "", 0, 0, "a b");
  TRIM("  a b  ", "", 0, 1, "a b  ");
  TRIM("  a b  ", "", 0, 2, "  a b");
  TRIM("\t a \n", "", 0, 0, "\t a \n");         /* default strips spaces only */
  TRIM("xxyaxyx", "xy", 1, 0, "a");
  TRIM("xxyaxyx", "xy", 1, 1, "axyx");
  TRIM("xxyaxyx", "xy", 1, 2, "xxya");
  TRIM("€€a€ñ", "€ñ", 1, 0, "a");
  TRIM("ñaaañ", "ñ", 1, 2, "ñaaa");
  TRIM("aaaa", "a", 1, 0, "");
  TRIM("", "a", 1, 0, "");
  TRIM("abc", "", 1, 0, "abc");
#undef TRIM

#define REPL(s, f, t, want) do { CHECK(A->fn_replace(C, S(s), S(f), S(t), &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  REPL("hello world", "o", "0", "hell0 w0rld");
  REPL("aaa", "aa", "b", "ba");
  REPL("abc", "", "x", "abc");
  REPL("abc", "abcd", "x", "abc");
  REPL("abcabc", "bc", "", "aa");
  REPL("ñañaña", "ña", "€", "€€€");
  REPL("", "a", "b", "");
#undef REPL
}

static void test_search(void) {
  uint8_t b;
  int64_t n;
  A->fn_starts_with(C, S("hello"), S("he"), &b); CHECK(b == 1);
  A->fn_starts_with(C, S("hello"), S("lo"), &b); CHECK(b == 0);
  A->fn_starts_with(C, S("he"), S("hello"), &b); CHECK(b == 0);
  A->fn_starts_with(C, S(""), S(""), &b); CHECK(b == 1);
  A->fn_ends_with(C, S("hello"), S("llo"), &b); CHECK(b == 1);
  A->fn_ends_with(C, S("hello"), S("he"), &b); CHECK(b == 0);
  A->fn_ends_with(C, S("x"), S(""), &b); CHECK(b == 1);
  A->fn_strpos(C, S("hello"), S("l"), &n); CHECK_I64(n, 3);
  A->fn_strpos(C, S("hello"), S("z"), &n); CHECK_I64(n, 0);
  A->fn_strpos(C, S("hello"), S(""), &n); CHECK_I64(n, 1);
  A->fn_strpos(C, S("ñañb€c"), S("b€"), &n); CHECK_I64(n, 4);
  A->fn_strpos(C, S(""), S("a"), &n); CHECK_I64(n, 0);

  RtStr o;
#define SPLIT(s, d, k, want) do { CHECK(A->fn_split_part(C, S(s), S(d), k, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  SPLIT("a,b,c", ",", 1, "a");
  SPLIT("a,b,c", ",", 3, "c");
  SPLIT("a,b,c", ",", 4, "");
  SPLIT("a,b,c", ",", -1, "c");
  SPLIT("a,b,c", ",", -3, "a");
  SPLIT("a,b,c", ",", -4, "");
  SPLIT("a,,c", ",", 2, "");
  SPLIT("abc~@~def~@~ghi", "~@~", 2, "def");
  SPLIT("abc", "", 1, "abc");
  SPLIT("abc", "", -1, "abc");
  SPLIT("abc", "", 2, "");
  SPLIT("", ",", 1, "");
  SPLIT("aaa", "aa", -1, "a");
  SPLIT("ñ€ñ", "€", 2, "ñ");
  CHECK_ERR(A->fn_split_part(C, S("a,b"), S(","), 0, &o), "field position must not be zero");
#undef SPLIT
}

static void test_pad_repeat_left_right(void) {
  RtStr o;
#define PAD(s, k, f, hf, l, want) do { CHECK(A->fn_pad(C, S(s), k, S(f), hf, l, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  PAD("hi", 5, "", 0, 1, "   hi");
  PAD("hi", 5, "", 0, 0, "hi   ");
  PAD("hi", 5, "xy", 1, 1, "xyxhi");
  PAD("hi", 6, "xy", 1, 0, "hixyxy");
  PAD("hello", 2, "x", 1, 1, "he");          /* longer than n: cut, on both sides */
  PAD("hello", 2, "x", 1, 0, "he");
  PAD("hi", 0, "x", 1, 1, "");
  PAD("hi", -3, "x", 1, 1, "");
  PAD("hi", 5, "", 1, 1, "hi");              /* empty fill cannot pad */
  PAD("ñ", 4, "€a", 1, 1, "€a€ñ");
  PAD("ñandú", 3, "x", 1, 0, "ñan");
  PAD("", 3, "ab", 1, 0, "aba");
  CHECK_ERR(A->fn_pad(C, S("a"), INT64_MAX, S("x"), 1, 1, &o), "lpad: requested length too large");
#undef PAD
  CHECK(A->fn_repeat(C, S("ab"), 3, &o) == RT_OK); CHECK_STR(Z(o), "ababab");
  CHECK(A->fn_repeat(C, S("ñ"), 5, &o) == RT_OK); CHECK_STR(Z(o), "ñññññ");
  CHECK(A->fn_repeat(C, S("ab"), 0, &o) == RT_OK); CHECK_I64(o.len, 0);
  CHECK(A->fn_repeat(C, S("ab"), -2, &o) == RT_OK); CHECK_I64(o.len, 0);
  CHECK(A->fn_repeat(C, S(""), 1000, &o) == RT_OK); CHECK_I64(o.len, 0);
  CHECK_ERR(A->fn_repeat(C, S("ab"), INT64_MAX / 2, &o), "repeat: requested length too large");

#define LR(f, s, k, want) do { CHECK(A->f(C, S(s), k, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  LR(fn_left, "abcde", 2, "ab");
  LR(fn_left, "abcde", 0, "");
  LR(fn_left, "abcde", 10, "abcde");
  LR(fn_left, "abcde", -2, "abc");
  LR(fn_left, "abcde", -10, "");
  LR(fn_left, "ñaé€", 3, "ñaé");
  LR(fn_left, "ñaé€", -1, "ñaé");
  LR(fn_left, "abc", INT64_MIN, "");
  LR(fn_right, "abcde", 2, "de");
  LR(fn_right, "abcde", 0, "");
  LR(fn_right, "abcde", 10, "abcde");
  LR(fn_right, "abcde", -2, "cde");
  LR(fn_right, "abcde", -10, "");
  LR(fn_right, "ñaé€", 2, "é€");
  LR(fn_right, "ñaé€", -1, "aé€");
  LR(fn_right, "abc", INT64_MIN, "");
#undef LR
}

static void test_misc_string(void) {
  int32_t c;
  RtStr o;
  A->fn_ascii(C, S("A"), &c); CHECK_I64(c, 65);
  A->fn_ascii(C, S("€uro"), &c); CHECK_I64(c, 0x20AC);
  A->fn_ascii(C, S(""), &c); CHECK_I64(c, 0);
  CHECK(A->fn_chr(C, 65, &o) == RT_OK); CHECK_STR(Z(o), "A");
  CHECK(A->fn_chr(C, 0x20AC, &o) == RT_OK); CHECK_STR(Z(o), "€");
  CHECK(A->fn_chr(C, 0x1F600, &o) == RT_OK); CHECK_STR(Z(o), "😀");
  CHECK_ERR(A->fn_chr(C, 0, &o), "null character not permitted");
  CHECK_ERR(A->fn_chr(C, 0x110000, &o), "chr: requested character not valid for encoding: 1114112");
  CHECK_ERR(A->fn_chr(C, 0xD800, &o), "not valid");
  CHECK_ERR(A->fn_chr(C, -1, &o), "not valid");
  CHECK(A->fn_to_hex(C, 255, &o) == RT_OK); CHECK_STR(Z(o), "ff");
  CHECK(A->fn_to_hex(C, 0, &o) == RT_OK); CHECK_STR(Z(o), "0");
  CHECK(A->fn_to_hex(C, -1, &o) == RT_OK); CHECK_STR(Z(o), "ffffffffffffffff");
  CHECK(A->fn_to_hex(C, INT64_MAX, &o) == RT_OK); CHECK_STR(Z(o), "7fffffffffffffff");
  /* RFC 1321 test suite */
  static const char *const md5[][2] = {
    {"", "d41d8cd98f00b204e9800998ecf8427e"},
    {"a", "0cc175b9c0f1b6a831c399e269772661"},
    {"abc", "900150983cd24fb0d6963f7d28e17f72"},
    {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
    {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
    {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
    {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
     "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (size_t i = 0; i < sizeof md5 / sizeof *md5; i++) {
    CHECK(A->fn_md5(C, S(md5[i][0]), &o) == RT_OK);
    CHECK_STR(Z(o), md5[i][1]);
  }
  /* 55 and 56 bytes: the padding boundary */
  char buf[64];
  memset(buf, 'x', sizeof buf);
  A->fn_md5(C, rt_str(buf, 55), &o); CHECK_STR(Z(o), "04364420e25c512fd958a70738aa8f72");
  A->fn_md5(C, rt_str(buf, 56), &o); CHECK_STR(Z(o), "668a72d5ba17f08e62dabcafad6db14b");
  A->fn_md5(C, rt_str(buf, 64), &o); CHECK_STR(Z(o), "c1bb4f81d892b2d57947682aeb252456");

  /* hash_bytes: deterministic, seed-dependent, length-sensitive */
  uint64_t h1 = A->hash_bytes("hello", 5, 0), h2 = A->hash_bytes("hello", 5, 0);
  CHECK(h1 == h2);
  CHECK(h1 != A->hash_bytes("hello", 5, 1));
  CHECK(h1 != A->hash_bytes("hellp", 5, 0));
  CHECK(A->hash_bytes("", 0, 0) != A->hash_bytes("\0", 1, 0));
  CHECK(A->hash_bytes("abcdefghijklmnopq", 17, 0) != A->hash_bytes("abcdefghijklmnopr", 17, 0));
}

static int like(const char *s, const char *p, int esc, int ci) {
  uint8_t b = 2;
  if (A->fn_like(C, S(s), S(p), esc, ci, &b) != RT_OK) return -1;
  return b;
}

static void test_like(void) {
  CHECK(like("hello", "hello", -1, 0) == 1);
  CHECK(like("hello", "hell", -1, 0) == 0);
  CHECK(like("hello", "h%", -1, 0) == 1);
  CHECK(like("hello", "%o", -1, 0) == 1);
  CHECK(like("hello", "%ll%", -1, 0) == 1);
  CHECK(like("hello", "%x%", -1, 0) == 0);
  CHECK(like("hello", "h%l%o", -1, 0) == 1);
  CHECK(like("hello", "h%l%l%l%o", -1, 0) == 0);
  CHECK(like("ab", "a%b%", -1, 0) == 1);
  CHECK(like("aXb", "a%%b", -1, 0) == 1);
  CHECK(like("", "", -1, 0) == 1);
  CHECK(like("", "%", -1, 0) == 1);
  CHECK(like("", "_", -1, 0) == 0);
  CHECK(like("abc", "", -1, 0) == 0);
  CHECK(like("abab", "%ab", -1, 0) == 1);
  CHECK(like("aba", "ab%ba", -1, 0) == 0);   /* the suffix may not overlap the prefix */
  CHECK(like("hello", "h_llo", -1, 0) == 1);
  CHECK(like("hello", "h__lo", -1, 0) == 1);
  CHECK(like("hello", "h_lo", -1, 0) == 0);
  CHECK(like("ñandú", "_and_", -1, 0) == 1);       /* '_' is one character, not one byte */
  CHECK(like("ñandú", "%d_", -1, 0) == 1);
  CHECK(like("mississippi", "%iss%ip_i", -1, 0) == 1);
  CHECK(like("100%", "100\\%", '\\', 0) == 1);
  CHECK(like("1000", "100\\%", '\\', 0) == 0);
  CHECK(like("a_b", "a\\_b", '\\', 0) == 1);
  CHECK(like("axb", "a\\_b", '\\', 0) == 0);
  CHECK(like("a\\b", "a\\\\b", '\\', 0) == 1);
  CHECK(like("a_b", "a#_b", '#', 0) == 1);
  CHECK(like("a\\b", "a\\b", -1, 0) == 1);        /* no escape character: backslash is literal */
  CHECK(like("a%b", "a€%b", 0x20AC, 0) == 1);     /* a multi-byte escape character */
  CHECK(like("HeLLo", "hello", -1, 1) == 1);
  CHECK(like("HeLLo", "h%O", -1, 1) == 1);
  CHECK(like("ÀÉ", "àé", -1, 1) == 1);
  CHECK(like("ÀÉ", "àé", -1, 0) == 0);
  CHECK(like("ΣΟΦΙΑ", "σ_φ%", -1, 1) == 1);
  CHECK(like("HELLO", "%l_o", -1, 1) == 1);        /* general matcher, case-folded backtracking */
  CHECK(like("xHELLO", "%h%L_O", -1, 1) == 1);
  CHECK(like("a-b-c", "%-_", -1, 0) == 1);
  CHECK(like("a-b-c", "%-__", -1, 0) == 0);
  CHECK(like("HeLLo WoRLD", "%world", -1, 1) == 1); /* ASCII fast path for ILIKE */
  CHECK(like("HeLLo WoRLD", "hello%", -1, 1) == 1);
  CHECK(like("HeLLo WoRLD", "%LO W%", -1, 1) == 1);
  CHECK(like("HeLLo WoRLD", "%xyz%", -1, 1) == 0);
  CHECK(like("İ", "i", -1, 1) == 1);              /* non-ASCII subject: code point folding */
  CHECK_ERR(A->fn_like(C, S("abc"), S("ab\\"), '\\', 0, &(uint8_t){0}), "LIKE pattern must not end with escape character");
}

/* ---- regular expressions --------------------------------------------------------------- */

static int rlike(const char *s, const char *p, const char *flags) {
  uint8_t b = 2;
  int rc = A->fn_regexp_like(C, S(s), S(p), S(flags ? flags : ""), flags != NULL, &b);
  return rc == RT_OK ? b : rc == RT_NULL ? -2 : -1;
}

static const char *rrepl(const char *s, const char *p, const char *r, const char *flags) {
  RtStr o;
  int rc = A->fn_regexp_replace(C, S(s), S(p), S(r), S(flags ? flags : ""), flags != NULL, &o);
  return rc == RT_OK ? Z(o) : "(error)";
}

static void test_regex(void) {
  CHECK(rlike("abc123", "\\d+", NULL) == 1);
  CHECK(rlike("abcdef", "\\d", NULL) == 0);
  CHECK(rlike("abc", "^\\w+$", NULL) == 1);
  CHECK(rlike("a b", "^\\w+$", NULL) == 0);
  CHECK(rlike("a b", "\\s", NULL) == 1);
  CHECK(rlike("ab", "\\S\\S", NULL) == 1);
  CHECK(rlike("12", "^\\D", NULL) == 0);
  CHECK(rlike("x1", "^\\W", NULL) == 0);
  CHECK(rlike("a-1", "^[\\w-]+$", NULL) == 1);
  CHECK(rlike("a 1", "^[\\d\\s]+$", NULL) == 0);
  CHECK(rlike("1 2", "^[\\d\\s]+$", NULL) == 1);
  CHECK(rlike("a]b", "[\\]]", NULL) == 1);
  CHECK(rlike("a.b", "a\\.b", NULL) == 1);
  CHECK(rlike("axb", "a\\.b", NULL) == 0);
  CHECK(rlike("x^y", "[\\^]", NULL) == 1);
  CHECK(rlike("x-y", "[a\\-z]", NULL) == 1);
  CHECK(rlike("b", "[a\\-z]", NULL) == 0);
  CHECK(rlike("a/b", "a\\/b", NULL) == 1);
  CHECK(rlike("tab\there", "\\t", NULL) == 1);
  CHECK(rlike("ABC", "abc", NULL) == 0);
  CHECK(rlike("ABC", "abc", "i") == 1);
  CHECK(rlike("ABC", "(?i)abc", NULL) == 1);
  CHECK(rlike("ABC", "abc", "ic") == 0);
  CHECK(rlike("foo", "(?:f|g)oo", NULL) == 1);
  CHECK(rlike("<a><b>", "<.*?>", NULL) == 1);          /* lazy: same matches for LIKE */
  CHECK(rlike("", "^$", NULL) == 1);
  CHECK(rlike("x\ny", "^y", "m") == 1);
  CHECK(rlike("x\ny", "^y", NULL) == 0);
  CHECK(rlike("héllo", "h.+o", NULL) == 1);
  /* plain-string patterns take the memmem path: same answers */
  CHECK(rlike("abc", "b", NULL) == 1);
  CHECK(rlike("abc", "^a", NULL) == 1);
  CHECK(rlike("abc", "^b", NULL) == 0);
  CHECK(rlike("abc", "c$", NULL) == 1);
  CHECK(rlike("abc", "b$", NULL) == 0);
  CHECK(rlike("abc", "^abc$", NULL) == 1);
  CHECK(rlike("abcd", "^abc$", NULL) == 0);
  CHECK(rlike("ab", "^abc", NULL) == 0);
  CHECK(rlike("", "", NULL) == 1);
  CHECK(rlike("x", "", NULL) == 1);
  CHECK(rlike("a.c", "a\\.c", NULL) == 1);
  CHECK(rlike("abc", "a\\.c", NULL) == 0);
  CHECK(rlike("a$", "a\\$", NULL) == 1);
  CHECK(rlike("ab", "a\\$", NULL) == 0);
  CHECK(rlike("ñandú", "dú$", NULL) == 1);
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("(unclosed"), S(""), 0, &(uint8_t){0}),
            "regexp_like: invalid regular expression '(unclosed'");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("a"), S("g"), 1, &(uint8_t){0}), "global");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("a"), S("q"), 1, &(uint8_t){0}), "flag 'q'");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("\\p{L}"), S(""), 0, &(uint8_t){0}), "unsupported escape");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("a(?=b)"), S(""), 0, &(uint8_t){0}), "unsupported group");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("[\\D]"), S(""), 0, &(uint8_t){0}), "not supported");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("ab\\"), S(""), 0, &(uint8_t){0}), "trailing backslash");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("a*+"), S(""), 0, &(uint8_t){0}), "possessive or nested quantifiers");
  CHECK_ERR(A->fn_regexp_like(C, S("a"), S("a{2}+"), S(""), 0, &(uint8_t){0}), "possessive or nested quantifiers");
  CHECK(rlike("aa", "a{2}", NULL) == 1);
  CHECK(rlike("a}+", "a}+", NULL) == 1);             /* a lone '}' is a literal */

  CHECK_STR(rrepl("hello world", "o", "0", NULL), "hell0 world");
  CHECK_STR(rrepl("hello world", "o", "0", "g"), "hell0 w0rld");
  CHECK_STR(rrepl("Hello", "h", "J", "i"), "Jello");
  CHECK_STR(rrepl("abc", "x", "y", "g"), "abc");
  CHECK_STR(rrepl("2023-09-18", "(\\d+)-(\\d+)-(\\d+)", "\\3/\\2/\\1", NULL), "18/09/2023");
  CHECK_STR(rrepl("2023-09-18", "(\\d+)-(\\d+)-(\\d+)", "$3.$2.$1", NULL), "18.09.2023");
  CHECK_STR(rrepl("2023-09-18", "(?:\\d+)-(\\d+)-(\\d+)", "\\2 \\1", NULL), "18 09");  /* (?:) not counted */
  CHECK_STR(rrepl("ab", "(a)(x)?", "[\\2|\\1|\\0|$0|${1}]", NULL), "[|a|a|a|a]b");
  CHECK_STR(rrepl("a", "a", "\\\\ $$ \\q $", NULL), "\\ $ \\q $");
  CHECK_STR(rrepl("abc", "x*", "-", "g"), "-a-b-c-");
  CHECK_STR(rrepl("abxd", "x*", "-", "g"), "-a-b-d-");
  CHECK_STR(rrepl("", "x*", "-", "g"), "-");
  CHECK_STR(rrepl("abc", "", "-", "g"), "-a-b-c-");
  CHECK_STR(rrepl("abc", "", "-", NULL), "-abc");
  CHECK_STR(rrepl("abcabc", "c$", "!", "g"), "abcab!");
  CHECK_STR(rrepl("abab", "ab", "<\\0>", "g"), "<ab><ab>");
  CHECK_STR(rrepl("ñañ", "a", "€", "g"), "ñ€ñ");
  CHECK_STR(rrepl("aaa", "^a", "b", "g"), "baa");          /* ^ anchors only at the start */
  CHECK_STR(rrepl("one two  three", "\\s+", " ", "g"), "one two three");
  CHECK_STR(rrepl("a.b.c", "\\.", "", "g"), "abc");
  CHECK_ERR(A->fn_regexp_replace(C, S("a"), S("a+?"), S(""), S(""), 0, &(RtStr){0}), "lazy quantifiers");

  /* the cache: many distinct patterns (more than it holds), then the first again */
  char pat[32];
  int ok = 1;
  for (int i = 0; i < 200; i++) {
    snprintf(pat, sizeof pat, "^x%d$", i);
    char subj[32];
    snprintf(subj, sizeof subj, "x%d", i);
    ok &= rlike(subj, pat, NULL) == 1;
  }
  CHECK(ok);
  CHECK(rlike("x0", "^x0$", NULL) == 1);
  CHECK(rlike("x0", "^x0$", "i") == 1);
}

/* ---- math ------------------------------------------------------------------------------ */

static void test_math(void) {
  CHECK(A->m_round(2.5, 0) == 3.0);
  CHECK(A->m_round(-2.5, 0) == -3.0);
  CHECK(A->m_round(1.2345, 2) == 1.23);
  CHECK(A->m_round(1.235, 1) == 1.2);
  CHECK(A->m_round(-1.25, 1) == -1.3);
  CHECK(A->m_round(0.125, 2) == 0.13);
  CHECK(A->m_round(1234.5, -2) == 1200.0);
  CHECK(A->m_round(1250, -2) == 1300.0);
  CHECK(A->m_round(-1250, -2) == -1300.0);
  CHECK(A->m_round(5, -1) == 10.0);
  CHECK(A->m_round(123.456, -5) == 0.0);
  CHECK(A->m_round(1e300, 10) == 1e300);
  CHECK(A->m_round(1.5, 400) == 1.5);
  CHECK(A->m_round(1e10, -400) == 0.0);
  CHECK(isnan(A->m_round(NAN, 2)));
  CHECK(isinf(A->m_round(INFINITY, 2)));
  CHECK(A->m_sqrt(16) == 4);
  CHECK(fabs(A->m_cbrt(27) - 3) < 1e-15 && A->m_cbrt(-8) == -2);
  CHECK(A->m_ln(1) == 0);
  CHECK(fabs(A->m_ln(M_E) - 1) < 1e-15);
  CHECK(A->m_log10(1000) == 3);
  CHECK(A->m_log2(8) == 3);
  CHECK(A->m_pow(2, 10) == 1024);
  CHECK(A->m_floor(-1.5) == -2 && A->m_ceil(-1.5) == -1 && A->m_trunc(-1.5) == -1);
  CHECK(A->m_fmod(7, 3) == 1);
  CHECK(A->m_exp(0) == 1);
  CHECK(A->m_sin(0) == 0 && A->m_cos(0) == 1 && A->m_tan(0) == 0);
  CHECK(A->m_asin(0) == 0 && A->m_acos(1) == 0 && A->m_atan(0) == 0 && A->m_atan2(0, 1) == 0);
}

/* ---- casts ----------------------------------------------------------------------------- */

static void test_casts(void) {
  int64_t i;
  uint64_t u;
  double d;
  uint8_t b;
  RtStr o;
  CHECK(A->cast_text_to_i64(C, S("42"), &i) == RT_OK); CHECK_I64(i, 42);
  CHECK(A->cast_text_to_i64(C, S("  -17 \n"), &i) == RT_OK); CHECK_I64(i, -17);
  CHECK(A->cast_text_to_i64(C, S("+5"), &i) == RT_OK); CHECK_I64(i, 5);
  CHECK(A->cast_text_to_i64(C, S("9223372036854775807"), &i) == RT_OK); CHECK_I64(i, INT64_MAX);
  CHECK(A->cast_text_to_i64(C, S("-9223372036854775808"), &i) == RT_OK); CHECK_I64(i, INT64_MIN);
  CHECK_ERR(A->cast_text_to_i64(C, S("9223372036854775808"), &i), "cannot cast '9223372036854775808' to BIGINT: out of range");
  CHECK_ERR(A->cast_text_to_i64(C, S("-9223372036854775809"), &i), "out of range");
  CHECK_ERR(A->cast_text_to_i64(C, S("12a"), &i), "cannot cast '12a' to BIGINT: invalid integer");
  CHECK_ERR(A->cast_text_to_i64(C, S(""), &i), "cannot cast '' to BIGINT");
  CHECK_ERR(A->cast_text_to_i64(C, S("-"), &i), "invalid integer");
  CHECK_ERR(A->cast_text_to_i64(C, S("1.5"), &i), "invalid integer");
  CHECK_ERR(A->cast_text_to_i64(C, S("1 2"), &i), "invalid integer");
  CHECK_ERR(A->cast_text_to_i64(C, S("99999999999999999999x"), &i), "invalid integer");
  CHECK(A->cast_text_to_u64(C, S("18446744073709551615"), &u) == RT_OK); CHECK(u == UINT64_MAX);
  CHECK(A->cast_text_to_u64(C, S(" 7 "), &u) == RT_OK); CHECK(u == 7);
  CHECK(A->cast_text_to_u64(C, S("-0"), &u) == RT_OK); CHECK(u == 0);
  CHECK_ERR(A->cast_text_to_u64(C, S("18446744073709551616"), &u), "BIGINT UNSIGNED: out of range");
  CHECK_ERR(A->cast_text_to_u64(C, S("-1"), &u), "out of range");

  CHECK(A->cast_text_to_f64(C, S("1.5"), &d) == RT_OK); CHECK(d == 1.5);
  CHECK(A->cast_text_to_f64(C, S(" -0.1 "), &d) == RT_OK); CHECK(d == -0.1);
  CHECK(A->cast_text_to_f64(C, S("1e3"), &d) == RT_OK); CHECK(d == 1000);
  CHECK(A->cast_text_to_f64(C, S("2.5E-3"), &d) == RT_OK); CHECK(d == 0.0025);
  CHECK(A->cast_text_to_f64(C, S(".5"), &d) == RT_OK); CHECK(d == 0.5);
  CHECK(A->cast_text_to_f64(C, S("5."), &d) == RT_OK); CHECK(d == 5);
  CHECK(A->cast_text_to_f64(C, S("0.1234567890123456789012345"), &d) == RT_OK); CHECK(d == 0.1234567890123456789012345);
  CHECK(A->cast_text_to_f64(C, S("1.7976931348623157e308"), &d) == RT_OK); CHECK(d == 1.7976931348623157e308);
  CHECK(A->cast_text_to_f64(C, S("4.9e-324"), &d) == RT_OK); CHECK(d == 4.9e-324);
  CHECK(A->cast_text_to_f64(C, S("123456789012345678901234567890"), &d) == RT_OK); CHECK(d == 123456789012345678901234567890.0);
  CHECK(A->cast_text_to_f64(C, S("1e400"), &d) == RT_OK); CHECK(isinf(d));
  CHECK(A->cast_text_to_f64(C, S("-0"), &d) == RT_OK); CHECK(d == 0 && signbit(d));
  CHECK(A->cast_text_to_f64(C, S("0.000"), &d) == RT_OK); CHECK(d == 0 && !signbit(d));
  {
    char longnum[700];                             /* over 511 characters: the malloc path */
    int k = snprintf(longnum, sizeof longnum, "0.");
    for (int z = 0; z < 550; z++) longnum[k++] = '0';
    snprintf(longnum + k, sizeof longnum - (size_t)k, "12345e560");
    CHECK(A->cast_text_to_f64(C, S(longnum), &d) == RT_OK); CHECK(d == 1234500000.0);
  }
  CHECK(A->cast_text_to_f64(C, S("NaN"), &d) == RT_OK); CHECK(isnan(d));
  CHECK(A->cast_text_to_f64(C, S("inf"), &d) == RT_OK); CHECK(isinf(d) && d > 0);
  CHECK(A->cast_text_to_f64(C, S("-Infinity"), &d) == RT_OK); CHECK(isinf(d) && d < 0);
  CHECK_ERR(A->cast_text_to_f64(C, S("1.2.3"), &d), "cannot cast '1.2.3' to DOUBLE");
  CHECK_ERR(A->cast_text_to_f64(C, S("0x10"), &d), "DOUBLE");
  CHECK_ERR(A->cast_text_to_f64(C, S("1e"), &d), "DOUBLE");
  CHECK_ERR(A->cast_text_to_f64(C, S(""), &d), "DOUBLE");
  CHECK_ERR(A->cast_text_to_f64(C, S("."), &d), "DOUBLE");

  const char *yes[] = {"true", "TRUE", "t", "yes", "Y", "on", "1", " True "};
  const char *no[] = {"false", "F", "no", "n", "OFF", "0"};
  for (size_t k = 0; k < 8; k++) { b = 9; CHECK(A->cast_text_to_bool(C, S(yes[k]), &b) == RT_OK && b == 1); }
  for (size_t k = 0; k < 6; k++) { b = 9; CHECK(A->cast_text_to_bool(C, S(no[k]), &b) == RT_OK && b == 0); }
  CHECK_ERR(A->cast_text_to_bool(C, S("maybe"), &b), "cannot cast 'maybe' to BOOLEAN");

  CHECK(A->cast_text_to_timestamp(C, S("2023-09-18T14:23:10Z"), &i) == RT_OK); CHECK_I64(i, 1695046990000000000LL);
  CHECK(A->cast_text_to_timestamp(C, S(" 2023-09-18 14:23:10.5 "), &i) == RT_OK); CHECK_I64(i, 1695046990500000000LL);
  CHECK(A->cast_text_to_timestamp(C, S("1969-12-31"), &i) == RT_OK); CHECK_I64(i, -86400000000000LL);
  CHECK_ERR(A->cast_text_to_timestamp(C, S("yesterday"), &i), "cannot cast 'yesterday' to TIMESTAMP");

#define DEC(s, sc, want) do { i = 7; CHECK_MSG(A->cast_text_to_decimal(C, S(s), sc, &i) == RT_OK && i == (want), \
    "%s scale %d -> %lld", s, sc, (long long)i); } while (0)
  DEC("123.45", 2, 12345);
  DEC("123.4", 2, 12340);
  DEC("123", 2, 12300);
  DEC("-0.05", 2, -5);
  DEC("0.125", 2, 13);           /* half away from zero */
  DEC("-0.125", 2, -13);
  DEC("0.124999", 2, 12);
  DEC("9.995", 2, 1000);
  DEC(" +7 ", 0, 7);
  DEC("0.5", 0, 1);
  DEC("0.4", 0, 0);
  DEC(".5", 1, 5);
  DEC("5.", 1, 50);
  DEC("1.5e2", 1, 1500);
  DEC("15e-3", 2, 2);
  DEC("5e-3", 2, 1);
  DEC("5e-4", 2, 0);
  DEC("00000000000000000000000012.5", 1, 125);
  DEC("922337203685477580.7", 1, INT64_MAX);
  DEC("-922337203685477580.8", 1, INT64_MIN);
#undef DEC
  CHECK_ERR(A->cast_text_to_decimal(C, S("922337203685477580.8"), 1, &i), "DECIMAL with scale 1: out of range");
  CHECK_ERR(A->cast_text_to_decimal(C, S("1e30"), 2, &i), "out of range");
  CHECK_ERR(A->cast_text_to_decimal(C, S("1.2.3"), 2, &i), "cannot cast '1.2.3' to DECIMAL");
  CHECK_ERR(A->cast_text_to_decimal(C, S("abc"), 2, &i), "DECIMAL");
  CHECK_ERR(A->cast_text_to_decimal(C, S(""), 2, &i), "DECIMAL");
  CHECK_ERR(A->cast_text_to_decimal(C, S("."), 2, &i), "DECIMAL");

  CHECK(A->cast_i64_to_text(C, -42, &o) == RT_OK); CHECK_STR(Z(o), "-42");
  CHECK(A->cast_i64_to_text(C, INT64_MIN, &o) == RT_OK); CHECK_STR(Z(o), "-9223372036854775808");
  CHECK(A->cast_u64_to_text(C, UINT64_MAX, &o) == RT_OK); CHECK_STR(Z(o), "18446744073709551615");
  CHECK(A->cast_f64_to_text(C, 1.0, &o) == RT_OK); CHECK_STR(Z(o), "1.0");
  CHECK(A->cast_f64_to_text(C, 0.1, &o) == RT_OK); CHECK_STR(Z(o), "0.1");
  CHECK(A->cast_f32_to_text(C, 0.1f, &o) == RT_OK); CHECK_STR(Z(o), "0.1");
  CHECK(A->cast_bool_to_text(C, 1, &o) == RT_OK); CHECK_STR(Z(o), "true");
  CHECK(A->cast_bool_to_text(C, 0, &o) == RT_OK); CHECK_STR(Z(o), "false");
  CHECK(A->cast_timestamp_to_text(C, 1695046990000000000LL, &o) == RT_OK); CHECK_STR(Z(o), "2023-09-18T14:23:10");
  CHECK(A->cast_timestamp_to_text(C, 1695046990123000000LL, &o) == RT_OK); CHECK_STR(Z(o), "2023-09-18T14:23:10.123");
  CHECK(A->cast_timestamp_to_text(C, -1, &o) == RT_OK); CHECK_STR(Z(o), "1969-12-31T23:59:59.999999999");
#define D2T(v, sc, want) do { CHECK(A->cast_decimal_to_text(C, v, sc, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  D2T(12345, 2, "123.45");
  D2T(-5, 2, "-0.05");
  D2T(0, 2, "0.00");
  D2T(12345, 0, "12345");
  D2T(-12345, 5, "-0.12345");
  D2T(100, 1, "10.0");
  D2T(INT64_MIN, 18, "-9.223372036854775808");
  D2T(INT64_MAX, 0, "9223372036854775807");
#undef D2T
#define I2T(m, dd, ns, want) do { RtInterval iv = {m, dd, ns}; CHECK(A->cast_interval_to_text(C, iv, &o) == RT_OK); CHECK_STR(Z(o), want); } while (0)
  I2T(0, 0, 0, "0 secs");
  I2T(14, 3, 0, "14 mons 3 days");
  I2T(0, 1, 3723000000000LL, "1 days 1 hours 2 mins 3.000000000 secs");
  I2T(0, 0, 1500000000LL, "1.500000000 secs");
  I2T(0, 0, -1500000000LL, "-1.500000000 secs");
  I2T(0, 0, -500000000LL, "-0.500000000 secs");
  I2T(-1, -2, -7200000000000LL, "-1 mons -2 days -2 hours");
  I2T(0, 0, 60000000000LL, "1 mins");
#undef I2T
}

/* ---- date and time --------------------------------------------------------------------- */

static int64_t T(const char *s) {
  int64_t v = 0;
  if (ts_parse(s, strlen(s), &v) != 0) { fprintf(stderr, "bad test timestamp %s\n", s); unit_failed++; }
  return v;
}

static const char *TS(int64_t v) {
  RtStr o;
  A->cast_timestamp_to_text(C, v, &o);
  return Z(o);
}

static const char *trunc_(const char *unit, const char *ts) {
  int64_t v;
  if (A->fn_date_trunc(C, S(unit), T(ts), &v) != RT_OK) return "(error)";
  return TS(v);
}

static double part(const char *field, const char *ts) {
  double v = -12345;
  if (A->fn_date_part(C, S(field), T(ts), &v) != RT_OK) return -12345;
  return v;
}

static const char *addiv(const char *ts, int32_t m, int32_t d, int64_t ns, int sign) {
  int64_t v;
  RtInterval iv = {m, d, ns};
  if (A->fn_ts_add_interval(C, T(ts), iv, sign, &v) != RT_OK) return "(error)";
  return TS(v);
}

static const char *tochar(const char *ts, const char *fmt) {
  RtStr o;
  if (A->fn_to_char(C, T(ts), S(fmt), &o) != RT_OK) return "(error)";
  return Z(o);
}

static void test_time(void) {
  const char *t = "2023-09-17T14:23:10.123456789Z";   /* a Sunday */
  CHECK_STR(trunc_("microsecond", t), "2023-09-17T14:23:10.123456");
  CHECK_STR(trunc_("millisecond", t), "2023-09-17T14:23:10.123");
  CHECK_STR(trunc_("second", t), "2023-09-17T14:23:10");
  CHECK_STR(trunc_("MINUTE", t), "2023-09-17T14:23:00");
  CHECK_STR(trunc_("hour", t), "2023-09-17T14:00:00");
  CHECK_STR(trunc_("Day", t), "2023-09-17T00:00:00");
  CHECK_STR(trunc_("week", t), "2023-09-11T00:00:00");           /* Monday before */
  CHECK_STR(trunc_("week", "2023-09-18T00:00:00Z"), "2023-09-18T00:00:00");   /* a Monday */
  CHECK_STR(trunc_("month", t), "2023-09-01T00:00:00");
  CHECK_STR(trunc_("quarter", t), "2023-07-01T00:00:00");
  CHECK_STR(trunc_("quarter", "2023-12-31T23:59:59Z"), "2023-10-01T00:00:00");
  CHECK_STR(trunc_("year", t), "2023-01-01T00:00:00");
  CHECK_STR(trunc_("hours", t), "2023-09-17T14:00:00");
  /* before 1970: floor, not toward zero */
  CHECK_STR(trunc_("second", "1969-12-31T23:59:59.5Z"), "1969-12-31T23:59:59");
  CHECK_STR(trunc_("day", "1969-12-31T23:59:59.5Z"), "1969-12-31T00:00:00");
  CHECK_STR(trunc_("week", "1970-01-01T00:00:00Z"), "1969-12-29T00:00:00");
  CHECK_STR(trunc_("month", "1900-02-15T10:00:00Z"), "1900-02-01T00:00:00");
  CHECK_STR(trunc_("year", "1969-06-01T00:00:00Z"), "1969-01-01T00:00:00");
  int64_t v;
  CHECK_ERR(A->fn_date_trunc(C, S("fortnight"), 0, &v), "date_trunc: unsupported unit 'fortnight'");
  CHECK_ERR(A->fn_date_trunc(C, S(""), 0, &v), "unsupported unit");

  CHECK(part("year", t) == 2023);
  CHECK(part("month", t) == 9);
  CHECK(part("day", t) == 17);
  CHECK(part("hour", t) == 14);
  CHECK(part("minute", t) == 23);
  CHECK(part("second", "2023-09-17T14:23:10.5Z") == 10.5);
  CHECK(part("millisecond", "2023-09-17T14:23:10.5Z") == 10500);
  CHECK(part("milliseconds", "2023-09-17T14:23:10.25Z") == 10250);
  CHECK(part("microsecond", "2023-09-17T14:23:10.000001Z") == 10000001);
  CHECK(part("nanosecond", t) == 10123456789.0);
  CHECK(part("dow", t) == 0);
  CHECK(part("isodow", t) == 7);
  CHECK(part("dow", "2023-09-18T00:00:00Z") == 1);
  CHECK(part("isodow", "2023-09-18T00:00:00Z") == 1);
  CHECK(part("doy", t) == 260);
  CHECK(part("doy", "2024-12-31T00:00:00Z") == 366);
  CHECK(part("quarter", t) == 3);
  CHECK(part("week", t) == 37);
  CHECK(part("week", "2021-01-03T00:00:00Z") == 53);      /* ISO: belongs to 2020's last week */
  CHECK(part("isoyear", "2021-01-03T00:00:00Z") == 2020);
  CHECK(part("week", "2019-12-30T00:00:00Z") == 1);       /* and the other way */
  CHECK(part("isoyear", "2019-12-30T00:00:00Z") == 2020);
  CHECK(part("epoch", "1970-01-01T00:00:01.5Z") == 1.5);
  CHECK(part("epoch", "1969-12-31T23:59:59.5Z") == -0.5);
  CHECK(part("EPOCH", t) == 1694960590.123456789);
  CHECK(part("year", "1969-12-31T23:59:59Z") == 1969);
  CHECK(part("second", "1969-12-31T23:59:59.25Z") == 59.25);
  CHECK(part("dow", "1969-12-31T12:00:00Z") == 3);         /* a Wednesday */
  double dv;
  CHECK_ERR(A->fn_date_part(C, S("fortnight"), 0, &dv), "date_part: unsupported field 'fortnight'");
  /* the ends of the int64 range: no overflow anywhere */
  const char *fields[] = {"year", "month", "day", "hour", "minute", "second", "millisecond",
                          "microsecond", "nanosecond", "dow", "isodow", "doy", "week", "isoyear",
                          "quarter", "epoch"};
  int okp = 1;
  for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
    okp &= A->fn_date_part(C, S(fields[k]), INT64_MIN, &dv) == RT_OK;
    okp &= A->fn_date_part(C, S(fields[k]), INT64_MAX, &dv) == RT_OK;
  }
  CHECK(okp);
  CHECK(A->fn_date_part(C, S("year"), INT64_MIN, &dv) == RT_OK && dv == 1677);
  CHECK(A->fn_date_part(C, S("year"), INT64_MAX, &dv) == RT_OK && dv == 2262);
  CHECK(A->fn_date_trunc(C, S("second"), INT64_MAX, &v) == RT_OK);
  CHECK_STR(TS(v), "2262-04-11T23:47:16");
  CHECK_ERR(A->fn_date_trunc(C, S("day"), INT64_MIN, &v), "date_trunc: result out of range for 1677-09-21T00:12:43.145224192");
  CHECK_ERR(A->fn_date_trunc(C, S("year"), INT64_MIN, &v), "out of range");
  RtStr big_o;
  CHECK(A->fn_to_char(C, INT64_MIN, S("%+ %s %j %U %G"), &big_o) == RT_OK);
  CHECK_STR(Z(big_o), "1677-09-21T00:12:43.145224192+00:00 -9223372037 264 38 1677");

  /* intervals: months on the calendar with clamping, then days, then nanos */
  CHECK_STR(addiv("2023-01-31T10:00:00Z", 1, 0, 0, 1), "2023-02-28T10:00:00");
  CHECK_STR(addiv("2024-01-31T10:00:00Z", 1, 0, 0, 1), "2024-02-29T10:00:00");    /* leap year */
  CHECK_STR(addiv("2024-02-29T00:00:00Z", 12, 0, 0, 1), "2025-02-28T00:00:00");
  CHECK_STR(addiv("2024-02-29T00:00:00Z", 48, 0, 0, 1), "2028-02-29T00:00:00");
  CHECK_STR(addiv("2023-03-31T00:00:00Z", 1, 0, 0, -1), "2023-02-28T00:00:00");
  CHECK_STR(addiv("2023-01-15T00:00:00Z", 1, 0, 0, -1), "2022-12-15T00:00:00");
  CHECK_STR(addiv("2023-11-30T00:00:00Z", 3, 0, 0, 1), "2024-02-29T00:00:00");
  CHECK_STR(addiv("2023-01-31T00:00:00Z", 1, 1, 0, 1), "2023-03-01T00:00:00");    /* clamp, then the day */
  CHECK_STR(addiv("2023-09-18T00:00:00Z", 0, 0, 90LL * 60 * 1000000000, 1), "2023-09-18T01:30:00");
  CHECK_STR(addiv("1970-01-01T00:00:00Z", 0, 0, 1, -1), "1969-12-31T23:59:59.999999999");
  CHECK_STR(addiv("1969-12-31T00:00:00Z", -1, 0, 0, 1), "1969-11-30T00:00:00");
  CHECK_STR(addiv("1900-03-31T00:00:00Z", -1, 0, 0, 1), "1900-02-28T00:00:00");   /* 1900: not leap */
  CHECK_STR(addiv("2000-03-31T00:00:00Z", -1, 0, 0, 1), "2000-02-29T00:00:00");   /* 2000: leap */
  CHECK_STR(addiv("2023-09-18T00:00:00Z", 0, -10, 0, -1), "2023-09-28T00:00:00");
  RtInterval big = {0, 0, INT64_MAX};
  CHECK_ERR(A->fn_ts_add_interval(C, T("2023-09-18T00:00:00Z"), big, 1, &v),
            "timestamp + interval: result out of range (2023-09-18T00:00:00 + 0 months 0 days 9223372036854775807 ns)");
  RtInterval mn = {0, 0, INT64_MIN};
  CHECK_ERR(A->fn_ts_add_interval(C, 0, mn, -1, &v), "out of range");
  RtInterval yrs = {12 * 1000, 0, 0};
  CHECK_ERR(A->fn_ts_add_interval(C, 0, yrs, 1, &v), "out of range");

  CHECK(A->fn_to_timestamp_text(C, S("2023-09-18T14:23:10+02:00"), &v) == RT_OK);
  CHECK_STR(TS(v), "2023-09-18T12:23:10");
  CHECK(A->fn_to_timestamp_text(C, S("2023-09-18"), &v) == RT_OK);
  CHECK_STR(TS(v), "2023-09-18T00:00:00");
  CHECK(A->fn_to_timestamp_text(C, S(" 1960-01-01 00:00:00.25 "), &v) == RT_OK);
  CHECK_STR(TS(v), "1960-01-01T00:00:00.250");
  CHECK_ERR(A->fn_to_timestamp_text(C, S("18/09/2023"), &v), "to_timestamp: cannot parse '18/09/2023'");
  CHECK(A->fn_from_unixtime(C, S(""), 1695046990, &v) == RT_OK); CHECK_I64(v, 1695046990000000000LL);
  CHECK(A->fn_from_unixtime(C, S(""), -1, &v) == RT_OK); CHECK_I64(v, -1000000000LL);
  CHECK_ERR(A->fn_from_unixtime(C, S(""), INT64_MAX / 10, &v), "from_unixtime");

  CHECK_STR(tochar(t, "%Y-%m-%d %H:%M:%S"), "2023-09-17 14:23:10");
  CHECK_STR(tochar(t, "%Y-%m-%dT%H:%M:%S%.3f"), "2023-09-17T14:23:10.123");
  CHECK_STR(tochar(t, "%f"), "123456789");
  CHECK_STR(tochar(t, "%.f|%.6f|%.9f|%3f|%6f"), ".123456789|.123456|.123456789|123|123456");
  CHECK_STR(tochar("2023-09-17T14:23:10.5Z", "%.f"), ".500");
  CHECK_STR(tochar("2023-09-17T14:23:10Z", "[%.f]"), "[]");
  CHECK_STR(tochar(t, "%a %A %b %B %h"), "Sun Sunday Sep September Sep");
  CHECK_STR(tochar(t, "%j %e %y %C %p %P %I %l %k"), "260 17 23 20 PM pm 02  2 14");
  CHECK_STR(tochar("2023-09-05T09:05:03Z", "%e|%-d|%_m|%-H|%0e"), " 5|5| 9|9|05");
  CHECK_STR(tochar("2023-09-05T00:05:03Z", "%I %p"), "12 AM");
  CHECK_STR(tochar(t, "%s %Z %z %:z %%"), "1694960590 UTC +0000 +00:00 %");
  CHECK_STR(tochar(t, "%D|%F|%T|%R|%r"), "09/17/23|2023-09-17|14:23:10|14:23|02:23:10 PM");
  CHECK_STR(tochar(t, "%c"), "Sun Sep 17 14:23:10 2023");
  CHECK_STR(tochar(t, "%+"), "2023-09-17T14:23:10.123456789+00:00");
  CHECK_STR(tochar(t, "%u %w %U %W %V %G %g"), "7 0 38 37 37 2023 23");
  CHECK_STR(tochar(t, "week %V of %G\t%n"), "week 37 of 2023\t\n");
  CHECK_STR(tochar(t, ""), "");
  CHECK_STR(tochar(t, "no specifiers"), "no specifiers");
  CHECK_STR(tochar("1969-07-20T20:17:40Z", "%Y-%m-%d %H:%M:%S %s"), "1969-07-20 20:17:40 -14182940");
  CHECK_STR(tochar("1960-01-01T00:00:00.25Z", "%.3f %S"), ".250 00");
  /* calendar specifiers against C's strftime (expected values produced by Python's) */
  static const char *const cal[][2] = {
    {"1677-09-22T00:00:00Z", "1677-09-22 Wed Wednesday Sep September 265 38 38 38 1677 77 3 3 16 77 22"},
    {"1900-01-01T00:00:00Z", "1900-01-01 Mon Monday Jan January 001 00 01 01 1900 00 1 1 19 00  1"},
    {"1900-12-31T00:00:00Z", "1900-12-31 Mon Monday Dec December 365 52 53 01 1901 01 1 1 19 00 31"},
    {"1969-12-28T00:00:00Z", "1969-12-28 Sun Sunday Dec December 362 52 51 52 1969 69 7 0 19 69 28"},
    {"1969-12-31T00:00:00Z", "1969-12-31 Wed Wednesday Dec December 365 52 52 01 1970 70 3 3 19 69 31"},
    {"1970-01-01T00:00:00Z", "1970-01-01 Thu Thursday Jan January 001 00 00 01 1970 70 4 4 19 70  1"},
    {"1999-12-31T00:00:00Z", "1999-12-31 Fri Friday Dec December 365 52 52 52 1999 99 5 5 19 99 31"},
    {"2000-01-01T00:00:00Z", "2000-01-01 Sat Saturday Jan January 001 00 00 52 1999 99 6 6 20 00  1"},
    {"2000-02-29T00:00:00Z", "2000-02-29 Tue Tuesday Feb February 060 09 09 09 2000 00 2 2 20 00 29"},
    {"2004-12-31T00:00:00Z", "2004-12-31 Fri Friday Dec December 366 52 52 53 2004 04 5 5 20 04 31"},
    {"2005-01-01T00:00:00Z", "2005-01-01 Sat Saturday Jan January 001 00 00 53 2004 04 6 6 20 05  1"},
    {"2008-12-29T00:00:00Z", "2008-12-29 Mon Monday Dec December 364 52 52 01 2009 09 1 1 20 08 29"},
    {"2010-01-03T00:00:00Z", "2010-01-03 Sun Sunday Jan January 003 01 00 53 2009 09 7 0 20 10  3"},
    {"2020-12-31T00:00:00Z", "2020-12-31 Thu Thursday Dec December 366 52 52 53 2020 20 4 4 20 20 31"},
    {"2021-01-01T00:00:00Z", "2021-01-01 Fri Friday Jan January 001 00 00 53 2020 20 5 5 20 21  1"},
    {"2021-01-04T00:00:00Z", "2021-01-04 Mon Monday Jan January 004 01 01 01 2021 21 1 1 20 21  4"},
    {"2024-12-30T00:00:00Z", "2024-12-30 Mon Monday Dec December 365 52 53 01 2025 25 1 1 20 24 30"},
    {"2026-12-31T00:00:00Z", "2026-12-31 Thu Thursday Dec December 365 52 52 53 2026 26 4 4 20 26 31"},
    {"2262-04-11T00:00:00Z", "2262-04-11 Fri Friday Apr April 101 14 14 15 2262 62 5 5 22 62 11"},
  };
  for (size_t k = 0; k < sizeof cal / sizeof *cal; k++)
    CHECK_STR(tochar(cal[k][0], "%Y-%m-%d %a %A %b %B %j %U %W %V %G %g %u %w %C %y %e"), cal[k][1]);
  RtStr o;
  CHECK_ERR(A->fn_to_char(C, 0, S("%Y %Q"), &o), "to_char: invalid format specifier '%Q' in '%Y %Q'");
  CHECK_ERR(A->fn_to_char(C, 0, S("abc %"), &o), "invalid format specifier '%'");
  /* a long format takes the arena path */
  char longfmt[1200];
  size_t k = 0;
  for (int r = 0; r < 100; r++) { memcpy(longfmt + k, "%Y-%m-%d ", 9); k += 9; }
  longfmt[k] = 0;
  CHECK(A->fn_to_char(C, T("2023-09-17T00:00:00Z"), S(longfmt), &o) == RT_OK);
  CHECK_I64(o.len, 1100);
  CHECK(memcmp(o.ptr, "2023-09-17 2023-09-17 ", 22) == 0);
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* A path given as text: "a" keys and "#3" / "#-1" indexes, separated by '/'. */
typedef struct Path {
  RtStr keys[8];
  int64_t idx[8];
  uint8_t is_index[8];
  int n;
} Path;

static Path P(const char *spec) {
  Path p;
  memset(&p, 0, sizeof p);
  const char *s = spec;
  while (*s && p.n < 8) {
    const char *e = strchr(s, '/');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if (s[0] == '#') { p.is_index[p.n] = 1; p.idx[p.n] = strtoll(s + 1, NULL, 10); }
    else p.keys[p.n] = rt_str(s, (int64_t)len);
    p.n++;
    s += len;
    if (*s == '/') s++;
  }
  return p;
}

/* Call a json function with a path spec; the comma operator orders the assignment first. */
#define JCALL(fn, json, spec, out) (pth = P(spec), A->fn(C, json, pth.keys, pth.idx, pth.is_index, pth.n, out))

/* Result of a string-valued json function as text, "NULL" for RT_NULL. */
static const char *jstr(int rc, RtStr o) { return rc == RT_OK ? Z(o) : rc == RT_NULL ? "NULL" : "(error)"; }

static void test_json_get(void) {
  Path pth;
  RtStr o;
  int64_t i;
  double d;
  uint8_t b;
  const char *doc = "{\"a\": {\"b\": [1, 2, {\"c\": \"x\\\"y\"}], \"n\": null},\n \"s\": \"h\\u00e9\\n\","
                    " \"t\": true, \"f\": false, \"i\": -42, \"big\": 12345678901234567890, \"fl\": 1.5e2,"
                    " \"e\\u0073c\": 1, \"arr\": [10, 20, 30], \"emp\": {}, \"ea\": []}";
  RtStr J = S(doc);
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/b/#1", &o), o), "2");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/b/#2", &o), o), "{\"c\": \"x\\\"y\"}");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/b/#-1/c", &o), o), "\"x\\\"y\"");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/b/#-3", &o), o), "1");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/b/#-4", &o), o), "null");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/b/#3", &o), o), "null");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/nope", &o), o), "null");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/n", &o), o), "null");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "s", &o), o), "\"h\\u00e9\\n\"");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "esc", &o), o), "1");        /* escaped key */
  CHECK_STR(jstr(JCALL(fn_json_get, J, "i/x", &o), o), "null");     /* key into a number */
  CHECK_STR(jstr(JCALL(fn_json_get, J, "a/#0", &o), o), "null");    /* index into an object */
  CHECK_STR(jstr(JCALL(fn_json_get, J, "arr/b", &o), o), "null");   /* key into an array */
  CHECK_STR(jstr(JCALL(fn_json_get, J, "emp", &o), o), "{}");
  CHECK_STR(jstr(JCALL(fn_json_get, J, "ea/#0", &o), o), "null");
  CHECK_STR(jstr(JCALL(fn_json_get, S("[1,[2,3]]"), "#1/#0", &o), o), "2");
  CHECK_STR(jstr(JCALL(fn_json_get, S(" 7 "), "", &o), o), "7");     /* no path: the document */
  /* the peer test's shape */
  RtStr car = S("{\"timestamp\": \"2023-09-18T14:23:10Z\", \"driver_id\": 155, \"event_type\": \"pickup\"}");
  CHECK_STR(jstr(JCALL(fn_json_get, car, "driver_id", &o), o), "155");
  CHECK_STR(jstr(JCALL(fn_json_get, car, "event_type", &o), o), "\"pickup\"");
  CHECK_STR(jstr(JCALL(fn_json_get, car, "not_a_field", &o), o), "null");
  /* invalid JSON is NULL; text after the found value is not examined */
  CHECK_STR(jstr(JCALL(fn_json_get, S("{\"a\": 1, "), "a", &o), o), "1");
  CHECK_STR(jstr(JCALL(fn_json_get, S("{\"a\" 1}"), "a", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S("{\"x\": tru, \"a\": 1}"), "a", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S("{\"x\": [1,,2], \"a\": 1}"), "a", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S("not json"), "a", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S(""), "a", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S("{\"a\": 01}"), "a", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S("{\"a\": \"x\ty\"}"), "a", &o), o), "NULL");  /* raw tab */
  CHECK_STR(jstr(JCALL(fn_json_get, S("[1, 2"), "#-1", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get, S("1 2"), "", &o), o), "NULL");
  /* deep nesting is bounded */
  static char deep[2000];
  memset(deep, '[', 1000);
  memset(deep + 1000, ']', 1000);
  CHECK_STR(jstr(JCALL(fn_json_get, rt_str(deep, 2000), "#0", &o), o), "NULL");

  CHECK_STR(jstr(JCALL(fn_json_get_text, J, "s", &o), o), "hé\n");
  CHECK_STR(jstr(JCALL(fn_json_get_text, J, "a/b/#2/c", &o), o), "x\"y");
  CHECK_STR(jstr(JCALL(fn_json_get_text, J, "i", &o), o), "-42");
  CHECK_STR(jstr(JCALL(fn_json_get_text, J, "a/b", &o), o), "[1, 2, {\"c\": \"x\\\"y\"}]");
  CHECK_STR(jstr(JCALL(fn_json_get_text, J, "a/n", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get_text, J, "zz", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get_text, S("{\"k\":\"\\ud83d\\ude00 \\u20ac \\/ \\\\ \\b\\f\\r\\t\"}"), "k", &o), o),
            "😀 € / \\ \b\f\r\t");
  CHECK_STR(jstr(JCALL(fn_json_get_text, S("{\"k\":\"\\ud83d x\"}"), "k", &o), o), "\xEF\xBF\xBD x");
  CHECK_STR(jstr(JCALL(fn_json_get_str, J, "s", &o), o), "hé\n");
  CHECK_STR(jstr(JCALL(fn_json_get_str, J, "i", &o), o), "NULL");
  CHECK_STR(jstr(JCALL(fn_json_get_str, J, "zz", &o), o), "NULL");

  CHECK(JCALL(fn_json_get_int, J, "i", &i) == RT_OK); CHECK_I64(i, -42);
  CHECK(JCALL(fn_json_get_int, J, "arr/#-1", &i) == RT_OK); CHECK_I64(i, 30);
  CHECK(JCALL(fn_json_get_int, J, "big", &i) == RT_NULL);      /* does not fit */
  CHECK(JCALL(fn_json_get_int, J, "fl", &i) == RT_NULL);       /* not an integer */
  CHECK(JCALL(fn_json_get_int, J, "s", &i) == RT_NULL);
  CHECK(JCALL(fn_json_get_int, J, "zz", &i) == RT_NULL);
  CHECK(JCALL(fn_json_get_int, S("{\"m\": -9223372036854775808}"), "m", &i) == RT_OK); CHECK_I64(i, INT64_MIN);
  CHECK(JCALL(fn_json_get_float, J, "fl", &d) == RT_OK); CHECK(d == 150);
  CHECK(JCALL(fn_json_get_float, J, "i", &d) == RT_OK); CHECK(d == -42);
  CHECK(JCALL(fn_json_get_float, J, "big", &d) == RT_OK); CHECK(d == 12345678901234567890.0);
  CHECK(JCALL(fn_json_get_float, J, "t", &d) == RT_NULL);
  CHECK(JCALL(fn_json_get_bool, J, "t", &b) == RT_OK); CHECK(b == 1);
  CHECK(JCALL(fn_json_get_bool, J, "f", &b) == RT_OK); CHECK(b == 0);
  CHECK(JCALL(fn_json_get_bool, J, "i", &b) == RT_NULL);
  CHECK(JCALL(fn_json_get_bool, J, "a/n", &b) == RT_NULL);

  CHECK(JCALL(fn_json_length, J, "arr", &i) == RT_OK); CHECK_I64(i, 3);
  CHECK(JCALL(fn_json_length, J, "a", &i) == RT_OK); CHECK_I64(i, 2);
  CHECK(JCALL(fn_json_length, J, "emp", &i) == RT_OK); CHECK_I64(i, 0);
  CHECK(JCALL(fn_json_length, J, "ea", &i) == RT_OK); CHECK_I64(i, 0);
  CHECK(JCALL(fn_json_length, J, "", &i) == RT_OK); CHECK_I64(i, 11);
  CHECK(JCALL(fn_json_length, J, "s", &i) == RT_NULL);
  CHECK(JCALL(fn_json_length, J, "zz", &i) == RT_NULL);
  CHECK(JCALL(fn_json_contains, J, "a/n", &b) == RT_OK); CHECK(b == 1);
  CHECK(JCALL(fn_json_contains, J, "a/b/#2/c", &b) == RT_OK); CHECK(b == 1);
  CHECK(JCALL(fn_json_contains, J, "a/b/#3", &b) == RT_OK); CHECK(b == 0);
  CHECK(JCALL(fn_json_contains, J, "zz", &b) == RT_OK); CHECK(b == 0);
  CHECK(JCALL(fn_json_contains, S("{"), "zz", &b) == RT_NULL);
}

static const char *ejs(const char *json, const char *path) {
  RtStr o;
  return jstr(A->fn_extract_json_string(C, S(json), S(path), &o), o);
}

static const char *gfo(const char *json, const char *path) {
  RtStr o;
  return jstr(A->fn_get_first_json_object(C, S(json), S(path), &o), o);
}

static void test_jsonpath(void) {
  const char *doc = "{\"store\": {\"book\": [{\"title\": \"A\", \"price\": 8.95, \"tags\": [\"x\", \"y\"]},"
                    " {\"title\": \"B\\u00e9\", \"price\": 12}, {\"title\": \"C\", \"isbn\": \"123\"}],"
                    " \"bicycle\": {\"color\": \"red\", \"price\": 19.95}},"
                    " \"name\": \"top\", \"odd key\": \"v\", \"a.b\": \"dot\", \"it's\": \"q\"}";
  CHECK_STR(ejs(doc, "$.name"), "top");
  CHECK_STR(ejs(doc, "$.store.book[0].title"), "A");
  CHECK_STR(ejs(doc, "$.store.book[1].title"), "Bé");
  CHECK_STR(ejs(doc, "$.store.book[-1].title"), "C");
  CHECK_STR(ejs(doc, "$['store']['bicycle']['color']"), "red");
  CHECK_STR(ejs(doc, "$[\"store\"].bicycle.color"), "red");
  CHECK_STR(ejs(doc, "$['odd key']"), "v");
  CHECK_STR(ejs(doc, "$['a.b']"), "dot");
  CHECK_STR(ejs(doc, "$['it\\'s']"), "q");
  CHECK_STR(ejs(doc, "$.store.book[*].title"), "A");
  CHECK_STR(ejs(doc, "$.store.book[*].isbn"), "123");     /* first element that has one */
  CHECK_STR(ejs(doc, "$..isbn"), "123");
  CHECK_STR(ejs(doc, "$..color"), "red");
  CHECK_STR(ejs(doc, "$..tags[1]"), "y");
  CHECK_STR(ejs(doc, "$.store.book[1:].title"), "Bé");
  CHECK_STR(ejs(doc, "$.store.book[::-1].title"), "C");
  CHECK_STR(ejs(doc, "$.store.book[-2:-1].title"), "Bé");
  CHECK_STR(ejs(doc, "$.store.book[5:9].title"), "NULL");
  CHECK_STR(ejs(doc, "$.store.book[0, 2].title"), "A");
  CHECK_STR(ejs(doc, "$.store.book[2, 0].title"), "C");   /* selector order */
  CHECK_STR(ejs(doc, "$.store.book[0].price"), "NULL");   /* not a string */
  CHECK_STR(ejs(doc, "$.store"), "NULL");
  CHECK_STR(ejs(doc, "$.nope"), "NULL");
  CHECK_STR(ejs(doc, "$.name.x"), "NULL");
  CHECK_STR(ejs(doc, "$.store.book[9]"), "NULL");
  CHECK_STR(ejs("\"just a string\"", "$"), "just a string");
  CHECK_STR(ejs("{\"a\": \"1\"} trailing", "$.a"), "NULL");   /* whole document validated */
  CHECK_STR(ejs("{\"a\": \"1\", \"b\": [}", "$.a"), "NULL");
  CHECK_STR(ejs("", "$.a"), "NULL");
  /* descendant order as serde_json_path: the node's own children before grandchildren */
  CHECK_STR(ejs("{\"x\": {\"k\": \"deep\"}, \"k\": \"shallow\"}", "$..k"), "shallow");
  CHECK_STR(ejs("[{\"k\": \"first\"}, {\"k\": \"second\"}]", "$..k"), "first");
  CHECK_STR(ejs("{\"tags\": [{\"name\": \"n1\"}, {\"name\": \"n2\"}]}", "$.tags[*].name"), "n1");
  CHECK_STR(ejs("{\"a\": [[\"p\", \"q\"]]}", "$.a[0][1]"), "q");
  CHECK_STR(ejs("{\"a\": [\"p\"]}", "$..[0]"), "p");
  CHECK_STR(ejs("{\"a\": {\"b\": \"c\"}}", "$.*.b"), "c");
  CHECK_STR(ejs("{\"a\": {\"b\": \"c\"}}", "$..*"), "NULL");   /* first match is {"b":"c"}, an object */

  CHECK_STR(gfo(doc, "$.store.bicycle"), "{\"color\":\"red\",\"price\":19.95}");
  CHECK_STR(gfo(doc, "$.store.book[0].tags"), "[\"x\",\"y\"]");
  CHECK_STR(gfo(doc, "$.store.book[0].price"), "8.95");
  CHECK_STR(gfo(doc, "$.name"), "\"top\"");
  CHECK_STR(gfo(doc, "$.nope"), "NULL");
  CHECK_STR(gfo("{\"a\": {\"s\": \"keep  spaces\", \"t\" :\n[1 , 2]}}", "$.a"), "{\"s\":\"keep  spaces\",\"t\":[1,2]}");
  CHECK_STR(gfo("{\"a\":[1,2]}", "$.a"), "[1,2]");
  CHECK_STR(gfo("[1, 2]", "$"), "[1,2]");

  RtStr o;
  CHECK_ERR(A->fn_extract_json_string(C, S(doc), S("store.name"), &o),
            "extract_json_string: invalid JSONPath 'store.name': must start with '$'");
  CHECK_ERR(A->fn_extract_json_string(C, S(doc), S("$.a["), &o), "invalid JSONPath '$.a['");
  CHECK_ERR(A->fn_extract_json_string(C, S(doc), S("$.a[?(@.x)]"), &o), "filter expressions are not supported");
  CHECK_ERR(A->fn_extract_json_string(C, S(doc), S("$."), &o), "expected a member name");
  CHECK_ERR(A->fn_extract_json_string(C, S(doc), S("$.a[x]"), &o), "invalid JSONPath");
  CHECK_ERR(A->fn_get_first_json_object(C, S("not json"), S("$$"), &o), "get_first_json_object: invalid JSONPath '$$'");
  CHECK_ERR(A->fn_extract_json_string(C, S("{}"), S("$['unterminated]"), &o), "bad quoted name");
}

/* Every function on inputs in exact-size heap buffers (so ASan sees any read past the end),
** including malformed UTF-8 and truncated JSON / escapes / patterns. Results are not checked
** beyond "no crash, a valid return code". */
static void test_bounds(void) {
  static const char *const inputs[] = {
    "", "a", "\xC3", "a\xE2\x82", "\xF0\x9F\x98", "\x80\x80", "%", "_", "\\", "ab\\", "x%_y",
    "{", "{\"", "{\"a\"", "{\"a\":", "{\"a\":1", "[1,", "\"\\u12", "\"\\ud83d\\u", "[[[[",
    "{\"a\":\"\\", "$", "$.", "$[", "$['", "$..", "$[1:", "(", "[", "[a-", "\\x4", "%Y%", "%.",
    "%:", "1e", "-", "ÀÉ", "2023-09-18T", "ΟΔΟΣ",
  };
  const int n = (int)(sizeof inputs / sizeof *inputs);
  char *buf[64];
  RtStr in[64];
  for (int k = 0; k < n; k++) {
    const char *tmp = inputs[k];
    size_t m = strlen(tmp);
    buf[k] = malloc(m ? m : 1);
    memcpy(buf[k], tmp, m);
    in[k] = rt_str(buf[k], (int64_t)m);
  }
  int bad = 0;
  for (int x = 0; x < n; x++) {
    RtStr s = in[x], o;
    int64_t i;
    int32_t c;
    double d;
    uint8_t b;
    RtStr keys[2] = {S("a"), S("b")};
    int64_t idx[2] = {0, -1};
    uint8_t isi[2] = {0, 1};
#define OKRC(call) do { int rc_ = (call); bad += rc_ != RT_OK && rc_ != RT_NULL && rc_ != RT_ERR; clear_err(); } while (0)
    OKRC(A->fn_lower(C, s, &o)); OKRC(A->fn_upper(C, s, &o)); OKRC(A->fn_initcap(C, s, &o));
    OKRC(A->fn_reverse(C, s, &o)); OKRC(A->fn_char_length(C, s, &i)); OKRC(A->fn_ascii(C, s, &c));
    OKRC(A->fn_substr(C, s, 2, 1, 1, &o)); OKRC(A->fn_left(C, s, -1, &o)); OKRC(A->fn_right(C, s, -1, &o));
    OKRC(A->fn_left(C, s, 2, &o)); OKRC(A->fn_right(C, s, 2, &o)); OKRC(A->fn_md5(C, s, &o));
    OKRC(A->fn_pad(C, s, 7, in[(x + 1) % n], 1, x & 1, &o)); OKRC(A->fn_repeat(C, s, 3, &o));
    OKRC(A->cast_text_to_i64(C, s, &i)); OKRC(A->cast_text_to_f64(C, s, &d));
    OKRC(A->cast_text_to_bool(C, s, &b)); OKRC(A->cast_text_to_timestamp(C, s, &i));
    OKRC(A->cast_text_to_decimal(C, s, 2, &i)); OKRC(A->fn_to_timestamp_text(C, s, &i));
    OKRC(A->fn_to_char(C, 0, s, &o)); OKRC(A->fn_date_trunc(C, s, 0, &i)); OKRC(A->fn_date_part(C, s, 0, &d));
    for (int y = 0; y < n; y++) {
      RtStr t = in[y];
      OKRC(A->fn_strpos(C, s, t, &i)); OKRC(A->fn_split_part(C, s, t, -1, &o));
      OKRC(A->fn_replace(C, s, t, s, &o)); OKRC(A->fn_trim(C, s, t, 1, 0, &o));
      OKRC(A->fn_like(C, s, t, '\\', 0, &b)); OKRC(A->fn_like(C, s, t, -1, 1, &b));
      OKRC(A->fn_regexp_like(C, s, t, t, 0, &b));
      OKRC(A->fn_regexp_replace(C, s, t, in[(y + 7) % n], t, 0, &o));
      OKRC(A->fn_extract_json_string(C, s, t, &o)); OKRC(A->fn_get_first_json_object(C, s, t, &o));
    }
    for (int np = 0; np <= 2; np++) {
      OKRC(A->fn_json_get(C, s, keys, idx, isi, np, &o)); OKRC(A->fn_json_get_text(C, s, keys, idx, isi, np, &o));
      OKRC(A->fn_json_get_str(C, s, keys, idx, isi, np, &o)); OKRC(A->fn_json_get_int(C, s, keys, idx, isi, np, &i));
      OKRC(A->fn_json_get_float(C, s, keys, idx, isi, np, &d)); OKRC(A->fn_json_get_bool(C, s, keys, idx, isi, np, &b));
      OKRC(A->fn_json_length(C, s, keys, idx, isi, np, &i)); OKRC(A->fn_json_contains(C, s, keys, idx, isi, np, &b));
    }
#undef OKRC
  }
  CHECK_I64(bad, 0);
  for (int k = 0; k < n; k++) free(buf[k]);
  rt_ctx_begin_batch(C);
}

static void test_api_table(void) {
  CHECK(A->abi_version == RT_ABI_VERSION);
  CHECK(A->size == sizeof(RtApi));
  CHECK(A->alloc == rt_alloc && A->error == rt_error && A->now == rt_now && A->emit == rt_emit);
  /* every member from alloc through hash_bytes (this file's scope) is filled */
  const void *const *slots = (const void *const *)((const char *)A + offsetof(RtApi, alloc));
  size_t nslots = (offsetof(RtApi, hash_bytes) - offsetof(RtApi, alloc)) / sizeof(void *) + 1, missing = 0;
  for (size_t k = 0; k < nslots; k++) missing += slots[k] == NULL;
  CHECK_I64(missing, 0);
  CHECK_STR(rt_type_names[RT_BOOL], "BOOLEAN");
  CHECK_STR(rt_type_names[RT_I32], "INT");
  CHECK_STR(rt_type_names[RT_U32], "INT UNSIGNED");
  CHECK_STR(rt_type_names[RT_DECIMAL], "DECIMAL");
  CHECK_STR(rt_type_names[RT_JSON], "JSON");
  int64_t *p = A->alloc(C, 24);
  CHECK(p != NULL && ((uintptr_t)p & 15) == 0);
  C->now_ns = 77;
  CHECK_I64(A->now(C), 77);
  CHECK(A->error(C, "q.sql:1:2", "bad %s", "thing") == RT_ERR);
  CHECK_STR(C->err, "q.sql:1:2: bad thing");
  clear_err();
}

UNIT_MAIN({
  A = rt_api();
  C = rt_ctx_new();
  test_api_table();
  test_case();
  test_length_substr();
  test_concat_trim_replace();
  test_search();
  test_pad_repeat_left_right();
  test_misc_string();
  test_like();
  test_regex();
  test_math();
  test_casts();
  test_time();
  test_json_get();
  test_jsonpath();
  test_bounds();
  rt_ctx_begin_batch(C);
  rt_ctx_free(C);
})
