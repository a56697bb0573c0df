/* Key names, the default keymap and rebinding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "ui/keys.h"

static void test_names_both_ways(void **state)
{
    static const char *const names[] = { "j", ":", "?", "C-f", "Up", "PgDn", "Home", "Enter",
                                          "Tab", "Esc", "Space", "Backspace", "F1", "F12" };
    char buf[32];
    int key;
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_true(key_parse(names[i], &key));
        key_format(key, buf, sizeof buf);
        assert_string_equal(buf, names[i]);
    }
    assert_true(key_parse("C-c", &key));
    assert_int_equal(key, 3);
    assert_true(key_parse("PgUp", &key));
    assert_int_equal(key, KEY_PPAGE);
}

static void test_bad_names(void **state)
{
    static const char *const bad[] = { "", "jj", "C-", "C-1", "C-A", "F0", "F13", "F1x", "up",
                                       " ", "\x7f", "é" };
    int key = -7;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(key_parse(bad[i], &key));
    assert_int_equal(key, -7);
}

static void test_defaults_and_actions(void **state)
{
    struct keymap m;
    char buf[128];
    (void)state;
    keymap_defaults(&m);
    assert_int_equal(keymap_action(&m, 'q'), ACT_QUIT);
    assert_int_equal(keymap_action(&m, KEY_DOWN), ACT_DOWN);
    assert_int_equal(keymap_action(&m, '?'), ACT_HELP);
    assert_int_equal(keymap_action(&m, 'x'), ACT_NONE);
    keymap_keys_of(&m, ACT_DOWN, buf, sizeof buf);
    assert_string_equal(buf, "j, Down");
    keymap_keys_of(&m, ACT_TOGGLE, buf, sizeof buf); /* Enter once, not thrice */
    assert_string_equal(buf, "Enter");
    assert_int_equal(action_find("delete-tree"), ACT_RDELETE);
    assert_int_equal(action_find("nope"), ACT_NONE);
    assert_int_equal(action_find("none"), ACT_NONE);
    assert_string_equal(action_name(ACT_QUIT), "quit");
    /* Every action has a name and words, and the names are distinct. */
    for (int i = 1; i < ACT__COUNT; i++) {
        assert_true(action_name((enum action)i)[0]);
        assert_true(action_help((enum action)i)[0]);
        assert_int_equal(action_find(action_name((enum action)i)), i);
    }
}

static void test_rebinding(void **state)
{
    struct keymap m;
    char warn[256], buf[128];
    int quit[] = { 'x' }, down[] = { 'o', 'q' };
    (void)state;
    keymap_defaults(&m);
    keymap_bind(&m, ACT_QUIT, quit, 1, warn, sizeof warn);
    assert_string_equal(warn, "");
    assert_int_equal(keymap_action(&m, 'x'), ACT_QUIT);
    assert_int_equal(keymap_action(&m, 'q'), ACT_NONE); /* replaced, not added to */
    assert_int_equal(keymap_action(&m, 3), ACT_NONE);
    /* A key another action had moves, and that is said. */
    keymap_bind(&m, ACT_DOWN, down, 2, warn, sizeof warn);
    assert_string_equal(warn, "");
    keymap_bind(&m, ACT_UP, (int[]){ 'o' }, 1, warn, sizeof warn);
    assert_string_equal(warn, "o was down's, now up's");
    keymap_keys_of(&m, ACT_DOWN, buf, sizeof buf);
    assert_string_equal(buf, "q");
    assert_int_equal(keymap_action(&m, 'j'), ACT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_both_ways),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_defaults_and_actions),
        cmocka_unit_test(test_rebinding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
