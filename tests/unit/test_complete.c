/* Completing a typed path's last segment from child names: splitting the
 * text, the common prefix (never inside a UTF-8 character), no match, one,
 * many, and the list shown when it is ambiguous. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <string.h>

#include <cmocka.h>

#include "model/complete.h"

#define N(a) (sizeof(a) / sizeof *(a))

static void split(const char *s, const char *want_parent, const char *want_seg)
{
    size_t plen = 99, seg = 99;
    assert_true(complete_split(s, &plen, &seg));
    assert_int_equal(plen, strlen(want_parent));
    assert_memory_equal(s, want_parent, plen);
    assert_string_equal(s + seg, want_seg);
}

static void test_split(void **state)
{
    size_t plen, seg;
    (void)state;
    split("/", "/", "");
    split("/ap", "/", "ap");
    split("/app/", "/app", "");
    split("/app/al", "/app", "al");
    split("/app/alpha/deep/e", "/app/alpha/deep", "e");
    assert_false(complete_split("app", &plen, &seg));
    assert_false(complete_split("", &plen, &seg));
}

static const char *const kids[] = { "alpha", "alphabet", "alpine", "beta", "zookeeper" };

static void test_common_prefix(void **state)
{
    struct completion c;
    (void)state;
    complete_names(kids, N(kids), "a", &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.first, 0);
    assert_int_equal(c.common, 3); /* "alp" */
    complete_names(kids, N(kids), "alph", &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.common, 5); /* "alpha": a name and a longer one */
    complete_names(kids, N(kids), "", &c);
    assert_int_equal(c.n, 5);
    assert_int_equal(c.common, 0);
}

static void test_no_match(void **state)
{
    struct completion c;
    (void)state;
    complete_names(kids, N(kids), "x", &c);
    assert_int_equal(c.n, 0);
    assert_int_equal(c.common, 0);
    complete_names(NULL, 0, "", &c);
    assert_int_equal(c.n, 0);
    complete_names(kids, N(kids), "Alpha", &c); /* names are case-sensitive */
    assert_int_equal(c.n, 0);
}

static void test_one_match(void **state)
{
    struct completion c;
    (void)state;
    complete_names(kids, N(kids), "b", &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.first, 3);
    assert_int_equal(c.common, 4); /* the whole name */
    complete_names(kids, N(kids), "zookeeper", &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.common, strlen("zookeeper"));
}

static void test_many_unsorted(void **state)
{
    static const char *const names[] = { "lock-0000000010", "other", "lock-0000000002",
                                         "lock-0000000001" };
    struct completion c;
    (void)state;
    complete_names(names, N(names), "l", &c);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.first, 0);
    assert_int_equal(c.common, strlen("lock-00000000"));
}

static void test_utf8(void **state)
{
    /* café and cafè share "caf" and the first byte (0xc3) of é/è: the
     * common prefix stops before that character, not inside it. */
    static const char *const names[] = { "caf\xc3\xa9", "caf\xc3\xa8s", "\xe6\x97\xa5\xe6\x9c\xac",
                                         "\xe6\x97\xa5\xe6\x9b\x9c" };
    struct completion c;
    (void)state;
    complete_names(names, N(names), "c", &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.common, 3);
    complete_names(names, N(names), "caf\xc3\xa9", &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.common, 5);
    /* 日本 and 日曜: 日 is shared (3 bytes), then e6 9c / e6 9b differ in
     * the second byte of the next character. */
    complete_names(names, N(names), "", &c);
    assert_int_equal(c.common, 0);
    complete_names(names, N(names), "\xe6", &c); /* half a character typed */
    assert_int_equal(c.n, 2);
    assert_int_equal(c.common, 3);
    complete_names(names + 2, 2, "", &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.common, 3);
}

static void test_list(void **state)
{
    static const char *const names[] = { "alpha", "alps", "beta", "al\x1b[2Jx", "alto" };
    struct strbuf b = { 0 };
    (void)state;
    complete_list(names, N(names), "al", 200, &b);
    /* In the order given, escaped: a name cannot clear the screen. */
    assert_string_equal(sb_str(&b), "4 matches: alpha  alps  al\\e[2Jx  alto");
    sb_reset(&b);
    complete_list(names, N(names), "b", 200, &b);
    assert_string_equal(sb_str(&b), "1 match: beta");
    sb_reset(&b);
    complete_list(names, N(names), "q", 200, &b);
    assert_string_equal(sb_str(&b), "0 matches:");
    sb_reset(&b);
    complete_list(names, N(names), "al", 24, &b);
    assert_string_equal(sb_str(&b), "4 matches: alpha  alps  ... (2 more)");
    sb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),       cmocka_unit_test(test_common_prefix),
        cmocka_unit_test(test_no_match),    cmocka_unit_test(test_one_match),
        cmocka_unit_test(test_many_unsorted), cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_list),
    };
    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
