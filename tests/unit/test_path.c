/* Path helpers: what the server accepts, joining and splitting, and the
 * sequence suffix of sequential nodes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model/path.h"

static void valid(const char *p)
{
    const char *why = NULL;
    if (!path_is_valid(p, &why))
        fail_msg("'%s' refused: %s", p, why);
}

static void invalid(const char *p, const char *want_why)
{
    const char *why = NULL;
    if (path_is_valid(p, &why))
        fail_msg("'%s' accepted", p);
    assert_string_equal(why, want_why);
}

static void test_valid_paths(void **state)
{
    (void)state;
    valid("/");
    valid("/a");
    valid("/a/b/c");
    valid("/zookeeper/quota");
    valid("/.a/a./..b/b..");             /* dots inside names are fine */
    valid("/lock-0000000001");
    valid("/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac"); /* UTF-8 names */
    valid("/with space");
}

static void test_invalid_paths_say_why(void **state)
{
    (void)state;
    invalid("", "the path is empty");
    invalid("a/b", "a path must start with /");
    invalid("/a/", "a path must not end with /");
    invalid("/a//b", "a path must not have empty segments (//)");
    invalid("//", "a path must not end with /");
    invalid("/a/./b", "a path must not have . or .. segments");
    invalid("/..", "a path must not have . or .. segments");
    invalid("/a/\x01", "the path holds a character ZooKeeper refuses");
    invalid("/a\x7f", "the path holds a character ZooKeeper refuses");
    invalid("/a\xc2\x85", "the path holds a character ZooKeeper refuses");   /* U+0085 */
    invalid("/a\xee\x80\x80", "the path holds a character ZooKeeper refuses"); /* U+E000 */
    invalid("/a\xef\xbf\xbf", "the path holds a character ZooKeeper refuses"); /* U+FFFF */
    invalid("/a\xff", "the path is not valid UTF-8");
    invalid("/a\xc0\xaf", "the path is not valid UTF-8");                     /* overlong */
    invalid("/a\xed\xa0\x80", "the path is not valid UTF-8");                 /* surrogate */
    invalid("/a\xe2\x82", "the path is not valid UTF-8");                     /* cut short */
    assert_false(path_is_valid("/a/", NULL)); /* why is optional */
}

static void test_join(void **state)
{
    char *p;
    (void)state;
    p = path_join("/", "a");
    assert_string_equal(p, "/a");
    free(p);
    p = path_join("/a/b", "c");
    assert_string_equal(p, "/a/b/c");
    free(p);
}

static void test_parent_basename_depth(void **state)
{
    (void)state;
    assert_int_equal(path_parent_len("/"), 0);
    assert_int_equal(path_parent_len("/a"), 1);
    assert_int_equal(path_parent_len("/a/b"), 2);
    assert_int_equal(path_parent_len("/abc/def/g"), 8);
    assert_string_equal(path_basename("/"), "");
    assert_string_equal(path_basename("/a"), "a");
    assert_string_equal(path_basename("/a/bc"), "bc");
    assert_int_equal(path_depth("/"), 0);
    assert_int_equal(path_depth("/a"), 1);
    assert_int_equal(path_depth("/a/b/c"), 3);
}

static void test_sequence_suffix(void **state)
{
    long long seq = -1;
    (void)state;
    assert_true(name_seq_suffix("seq-0000000007", &seq));
    assert_int_equal(seq, 7);
    assert_true(name_seq_suffix("0000000000", &seq));
    assert_int_equal(seq, 0);
    assert_true(name_seq_suffix("abc__lock__2147483647", &seq));
    assert_int_equal(seq, 2147483647);
    assert_true(name_seq_suffix("_c_1b2c-lock-0000000042", NULL));
    assert_false(name_seq_suffix("lock_000000007", &seq)); /* 9 digits */
    /* Past 2^31 the server prints the counter negative; those sort last. */
    assert_int_equal(name_seq_len("seq--000000001", &seq), 10);
    assert_int_equal(seq, 4294967295LL);
    assert_int_equal(name_seq_len("seq--2147483648", &seq), 11);
    assert_int_equal(seq, 2147483648LL);
    assert_int_equal(name_seq_len("seq--999999999", &seq), 10);
    assert_int_equal(seq, 3294967297LL);
    assert_int_equal(name_seq_len("seq_2147483648", &seq), 0); /* no sign: not a counter */
    assert_int_equal(name_seq_len("seq-9999999999", &seq), 0);
    assert_false(name_seq_suffix("000000007", &seq));
    assert_false(name_seq_suffix("node-00000000x7", &seq));
    assert_false(name_seq_suffix("", &seq));
}

static void test_connect_strings(void **state)
{
    static const char *const good[] = {
        "127.0.0.1:2181", "zk1:2181,zk2:2181,zk3.example.com:2182/app",
        "[::1]:2181", "[fe80::1]:2181,zk-2_b:1/a/b", "h:65535", "h:1/",
    };
    static const struct { const char *s, *why; } bad[] = {
        {"", "no server before the chroot"},
        {"/chroot", "no server before the chroot"},
        {",", "an empty server in the list"},
        {"a:1,", "an empty server in the list"},
        {":", "a server needs a host (host:port)"},
        {":2181", "a server needs a host (host:port)"},
        {"host", "a server needs a port (host:port)"},
        {"host:", "a server needs a port (host:port)"},
        {"host:99999", "a port is a number from 1 to 65535"},
        {"host:65536", "a port is a number from 1 to 65535"},
        {"host:0", "a port is a number from 1 to 65535"},
        {"host:12ab", "a port is a number from 1 to 65535"},
        {"::1:2181", "an IPv6 address needs [brackets]"},
        {"ho st:1", "a host name holds a character names cannot have"},
        {"h:1/a/", "a path must not end with /"},
    };
    const char *why;
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!connect_string_valid(good[i], &why))
            fail_msg("'%s' refused: %s", good[i], why);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why = NULL;
        if (connect_string_valid(bad[i].s, &why))
            fail_msg("'%s' accepted", bad[i].s);
        assert_string_equal(why, bad[i].why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_paths),
        cmocka_unit_test(test_invalid_paths_say_why),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_parent_basename_depth),
        cmocka_unit_test(test_sequence_suffix),
        cmocka_unit_test(test_connect_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
