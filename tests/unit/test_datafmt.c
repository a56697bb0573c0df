/* Turning node names and data into safe, measured lines: classification,
 * escaping, widths, and the text, JSON and hex renderings. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/datafmt.h"

#define S(lit) lit, sizeof(lit) - 1

static char *sanitized(const char *buf, size_t len, int *width)
{
    struct strbuf b = {0};
    int w = text_sanitize(buf, len, &b);
    char *r = strdup(sb_str(&b));
    if (width)
        *width = w;
    sb_free(&b);
    return r;
}

static void sanitizes_to(const char *buf, size_t len, const char *want, int want_width)
{
    int w;
    char *got = sanitized(buf, len, &w);
    assert_string_equal(got, want);
    assert_int_equal(w, want_width);
    assert_int_equal(text_width(got), want_width);
    free(got);
}

static void renders_to(const char *buf, size_t len, enum data_kind as, const char *const *want,
                       size_t n)
{
    struct lines l = {0};
    assert_true(data_render(buf, len, as, 80, &l));
    for (size_t i = 0; i < n && i < l.n; i++)
        assert_string_equal(l.v[i], want[i]);
    assert_int_equal(l.n, n);
    lines_free(&l);
}

static void test_classify(void **state)
{
    (void)state;
    assert_int_equal(data_classify("", 0), DATA_EMPTY);
    assert_int_equal(data_classify(S("hello world\n")), DATA_TEXT);
    assert_int_equal(data_classify(S("caf\xc3\xa9\ttab\r\n")), DATA_TEXT);
    assert_int_equal(data_classify(S("{\"a\": [1, 2.5e3, -0, true, null, \"x\\u00e9\"]}")), DATA_JSON);
    assert_int_equal(data_classify(S("  [ ]  ")), DATA_JSON);
    assert_int_equal(data_classify(S("42")), DATA_TEXT);          /* a scalar is just text */
    assert_int_equal(data_classify(S("{\"a\":1,}")), DATA_TEXT);   /* trailing comma */
    assert_int_equal(data_classify(S("{\"a\":01}")), DATA_TEXT);   /* leading zero */
    assert_int_equal(data_classify(S("{\"a\":1} x")), DATA_TEXT);  /* trailing garbage */
    assert_int_equal(data_classify(S("{\"a\":\"\\q\"}")), DATA_TEXT);
    assert_int_equal(data_classify(S("bell\x07")), DATA_BINARY);
    assert_int_equal(data_classify(S("nul\0byte")), DATA_BINARY);
    assert_int_equal(data_classify(S("\xff\xfe")), DATA_BINARY);
    assert_int_equal(data_classify(S("c1 \xc2\x9b")), DATA_BINARY); /* CSI as C1 */
    assert_string_equal(data_kind_name(DATA_JSON), "json");
    assert_string_equal(data_kind_name(DATA_BINARY), "binary");
}

static void test_deep_json_is_not_a_crash(void **state)
{
    size_t n = 100000;
    char *deep = malloc(2 * n);
    (void)state;
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    /* Too deep to pretty-print: text, and rendering it still works. */
    assert_int_equal(data_classify(deep, 2 * n), DATA_TEXT);
    {
        struct lines l = {0};
        assert_true(data_render(deep, 2 * n, DATA_JSON, 80, &l));
        assert_int_equal(l.n, 1);
        lines_free(&l);
    }
    free(deep);
}

static void test_sanitize_escapes_everything_that_moves_the_cursor(void **state)
{
    (void)state;
    sanitizes_to(S("plain"), "plain", 5);
    sanitizes_to(S("a\nb\tc\rd"), "a\\nb\\tc\\rd", 10);
    sanitizes_to(S("\x1b[2J\x1b]0;title\x07"), "\\e[2J\\e]0;title\\x07", 19);
    sanitizes_to(S("del\x7f"), "del\\x7f", 7);
    sanitizes_to(S("\xc2\x9b" "31m"), "\\u009b31m", 9);          /* C1 CSI */
    sanitizes_to(S("ab\xe2\x80\xae" "cd"), "ab\\u202ecd", 10);   /* RIGHT-TO-LEFT OVERRIDE */
    sanitizes_to(S("\xe2\x81\xa6x"), "\\u2066x", 7);             /* LEFT-TO-RIGHT ISOLATE */
    sanitizes_to(S("a\xe2\x80\x8b" "b\xe2\x80\x8d"), "a\\u200bb\\u200d", 14); /* ZERO WIDTH SPACE, JOINER */
    sanitizes_to(S("\xef\xbb\xbfx\xc2\xad"), "\\ufeffx\\u00ad", 13);  /* BOM, SOFT HYPHEN */
    sanitizes_to(S("e\xcc\x81"), "e\xcc\x81", 1);                 /* a combining mark shows */
    sanitizes_to(S("bad\xff\xc0"), "bad\\xff\\xc0", 11);
    sanitizes_to(S("nul\0x"), "nul\\x00x", 8);
}

static void test_sanitize_keeps_printable_unicode_and_measures_it(void **state)
{
    (void)state;
    sanitizes_to(S("caf\xc3\xa9"), "caf\xc3\xa9", 4);
    sanitizes_to(S("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac", 4); /* wide CJK */
    sanitizes_to(S("e\xcc\x81"), "e\xcc\x81", 1);                               /* combining */
}

static void test_fit_never_splits_a_character(void **state)
{
    const char *s = "a\xe6\x97\xa5" "b"; /* a, wide, b: widths 1 2 1 */
    (void)state;
    assert_int_equal(text_fit(s, 0), 0);
    assert_int_equal(text_fit(s, 1), 1);
    assert_int_equal(text_fit(s, 2), 1); /* the wide one does not fit in 1 */
    assert_int_equal(text_fit(s, 3), 4);
    assert_int_equal(text_fit(s, 99), strlen(s));
}

static void test_render_text(void **state)
{
    const char *const lines[] = {"one", "    two", "a   b", "caf\xc3\xa9\\e[1m", ""};
    const char *const ends_nl[] = {"x"};
    const char *const empty_line[] = {""};
    (void)state;
    renders_to(S("one\n\ttwo\na\tb\ncaf\xc3\xa9\x1b[1m\n\n"), DATA_TEXT, lines, 5);
    renders_to(S("x\n"), DATA_TEXT, ends_nl, 1);
    renders_to(S(""), DATA_TEXT, empty_line, 1);
    renders_to(S(""), DATA_EMPTY, NULL, 0);
}

static void test_render_json_pretty(void **state)
{
    const char *const want[] = {
        "{",
        "  \"name\": \"app\",",
        "  \"ports\": [",
        "    8080,",
        "    -1.5e3",
        "  ],",
        "  \"empty\": {},",
        "  \"none\": [],",
        "  \"ok\": true,",
        "  \"evil\": \"\\u202e\\u001b\"", /* raw U+202E escaped; the JSON escape kept */
        "}",
    };
    const char *const bad[] = {"{oops"};
    (void)state;
    renders_to(S("{\"name\":\"app\",\"ports\":[8080, -1.5e3],\"empty\":{ },\"none\":[],\"ok\":true,"
                 "\"evil\":\"\xe2\x80\xae\\u001b\"}"),
               DATA_JSON, want, sizeof want / sizeof *want);
    renders_to(S("{oops"), DATA_JSON, bad, 1); /* falls back to text */
}

static void test_render_hex(void **state)
{
    const char *const want[] = {
        "00000000  68 65 6c 6c 6f 00 01 ff  1b 5b 32 4a 20 7e 7f 80  |hello....[2J ~..|",
        "00000010  41 42                                             |AB|",
    };
    (void)state;
    renders_to(S("hello\0\x01\xff\x1b[2J ~\x7f\x80" "AB"), DATA_BINARY, want, 2);
}

static void test_render_hex_narrow(void **state)
{
    struct lines l = {0};
    (void)state;
    assert_int_equal(hex_line_width(16), 78);
    assert_int_equal(hex_line_width(8), 45);
    assert_true(data_render(S("hello\0\x01\xff\x1b[2J"), DATA_BINARY, 77, &l));
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0], "00000000  68 65 6c 6c 6f 00 01 ff  |hello...|");
    assert_string_equal(l.v[1], "00000008  1b 5b 32 4a              |.[2J|");
    lines_free(&l);
    assert_true(data_render(S("hello"), DATA_BINARY, 30, &l));
    assert_string_equal(l.v[0], "00000000  68 65 6c 6c  |hell|");
    assert_int_equal(strlen(l.v[0]), (size_t)hex_line_width(4));
    lines_free(&l);
}

static void test_json_quote(void **state)
{
    struct strbuf b = {0};
    (void)state;
    json_quote(S("a\"b\\c\nd\te\x01 caf\xc3\xa9 \xe2\x80\xae \xff"), &b);
    assert_string_equal(sb_str(&b), "\"a\\\"b\\\\c\\nd\\te\\u0001 caf\xc3\xa9 \\u202e \\u00ff\"");
    sb_free(&b);
}

static void test_strbuf(void **state)
{
    struct strbuf b = {0};
    (void)state;
    assert_string_equal(sb_str(&b), "");
    sb_adds(&b, "ab");
    sb_addc(&b, 'c');
    sb_addf(&b, "-%d-%s", 42, "x");
    assert_string_equal(sb_str(&b), "abc-42-x");
    for (int i = 0; i < 1000; i++)
        sb_adds(&b, "0123456789");
    assert_int_equal(b.len, 8 + 10000);
    sb_reset(&b);
    assert_string_equal(sb_str(&b), "");
    sb_free(&b);
}

static void test_duration_parse(void **state)
{
    long long ms = -1;
    (void)state;
    assert_true(duration_parse("500ms", 1LL << 40, &ms));
    assert_int_equal(ms, 500);
    assert_true(duration_parse("30s", 1LL << 40, &ms));
    assert_int_equal(ms, 30000);
    assert_true(duration_parse("10m", 1LL << 40, &ms));
    assert_int_equal(ms, 600000);
    assert_true(duration_parse("1h30m", 1LL << 40, &ms));
    assert_int_equal(ms, 5400000);
    assert_true(duration_parse("7d", 1LL << 40, &ms));
    assert_int_equal(ms, 7LL * 86400000);
    assert_true(duration_parse("1500", 1LL << 40, &ms));
    assert_int_equal(ms, 1500);
    ms = -1;
    /* Refused, and ms left alone. */
    assert_false(duration_parse("", 1LL << 40, &ms));
    assert_false(duration_parse("0s", 1LL << 40, &ms));
    assert_false(duration_parse("10x", 1LL << 40, &ms));
    assert_false(duration_parse("1h30", 1LL << 40, &ms));
    assert_false(duration_parse("-5s", 1LL << 40, &ms));
    assert_false(duration_parse("s", 1LL << 40, &ms));
    assert_false(duration_parse("2d", 86400000, &ms));
    assert_false(duration_parse("99999999999999999999999d", 1LL << 40, &ms));
    assert_int_equal(ms, -1);
}

static void test_hex_edit_round_trip(void **state)
{
    char data[40], err[80] = "";
    struct strbuf text = { 0 }, back = { 0 };
    (void)state;
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)(i * 7 + 0x7c); /* '|' among them: not a column edge */
    hex_edit_text(data, sizeof data, &text);
    assert_non_null(strstr(sb_str(&text), "00000010: "));
    assert_true(hex_edit_parse(sb_str(&text), text.len, &back, err, sizeof err));
    assert_int_equal(back.len, sizeof data);
    assert_memory_equal(back.s, data, sizeof data);
    sb_free(&text);
    sb_free(&back);
    /* Typed by hand: no offsets, no text column, upper case, tight pairs. */
    assert_true(hex_edit_parse("DEAD beef\n00ff\n\n", 16, &back, err, sizeof err));
    assert_int_equal(back.len, 6);
    assert_memory_equal(back.s, "\xde\xad\xbe\xef\x00\xff", 6);
    sb_free(&back);
    /* Nothing at all: empty data. */
    assert_true(hex_edit_parse("# only a comment\n", 17, &back, err, sizeof err));
    assert_int_equal(back.len, 0);
    sb_free(&back);
}

static void test_hex_edit_parse_errors(void **state)
{
    char err[80] = "";
    struct strbuf back = { 0 };
    (void)state;
    assert_false(hex_edit_parse("00000000: 41 4g\n", 16, &back, err, sizeof err));
    assert_string_equal(err, "line 1: 'g' is not a hex digit");
    sb_free(&back);
    assert_false(hex_edit_parse("41\n4 1\n", 8, &back, err, sizeof err));
    assert_string_equal(err, "line 2: a lone hex digit");
    sb_free(&back);
    assert_false(hex_edit_parse("414\n", 4, &back, err, sizeof err));
    assert_string_equal(err, "line 1: a lone hex digit");
    sb_free(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_deep_json_is_not_a_crash),
        cmocka_unit_test(test_sanitize_escapes_everything_that_moves_the_cursor),
        cmocka_unit_test(test_sanitize_keeps_printable_unicode_and_measures_it),
        cmocka_unit_test(test_fit_never_splits_a_character),
        cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_render_json_pretty),
        cmocka_unit_test(test_render_hex),
        cmocka_unit_test(test_render_hex_narrow),
        cmocka_unit_test(test_json_quote),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_duration_parse),
        cmocka_unit_test(test_hex_edit_round_trip),
        cmocka_unit_test(test_hex_edit_parse_errors),
    };
    if (!setlocale(LC_CTYPE, "C.UTF-8")) {
        print_error("the C.UTF-8 locale is missing\n");
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
