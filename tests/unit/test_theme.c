/* Themes: the shipped files agree with the compiled-in table, every colour
 * and attribute form parses, mistakes are reported at their line, no input
 * crashes the loader, and theme_apply picks the right mode. Run from the
 * repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curses.h>

#include "ui/theme.h"

static char dir[256];
static char path[512];

static int make_dir(void **state)
{
    const char *tmp = getenv("TMPDIR");
    (void)state;
    snprintf(dir, sizeof dir, "%s/zktui-theme-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "%s/t.yaml", dir);
    unlink(path);
    return rmdir(dir);
}

static const char *write_file(const void *data, size_t len)
{
    FILE *f;
    snprintf(path, sizeof path, "%s/t.yaml", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

/* Loads yaml into t; on failure err holds the message from "t.yaml:" on. */
static bool load(struct theme *t, const char *yaml, char *err, size_t errlen)
{
    const char *file = write_file(yaml, strlen(yaml));
    size_t skip = strlen(dir) + 1;
    bool ok = theme_load_file(t, file, err, errlen);
    if (!ok && strncmp(err, file, skip) == 0)
        memmove(err, err + skip, strlen(err + skip) + 1);
    return ok;
}

static void assert_same_theme(const struct theme *a, const struct theme *b)
{
    for (int e = 0; e < THEME__COUNT; e++) {
        const struct theme_style *x = &a->s256[e], *y = &b->s256[e];
        const struct theme_style *x8 = &a->s8[e], *y8 = &b->s8[e];
        if (x->fg != y->fg || x->bg != y->bg || x->attrs != y->attrs || x8->fg != y8->fg ||
            x8->bg != y8->bg || x8->attrs != y8->attrs || a->mono[e] != b->mono[e])
            fail_msg("element '%s' differs", theme_elem_name((enum theme_elem)e));
    }
}

static void test_default_yaml_is_the_compiled_in_theme(void **state)
{
    struct theme t, want;
    char err[512];
    (void)state;
    theme_defaults(&want);
    /* Start from junk, so every value must come from the file. */
    memset(&t, 0x5a, sizeof t);
    if (!theme_load_file(&t, "themes/default.yaml", err, sizeof err))
        fail_msg("%s", err);
    assert_same_theme(&t, &want);
    assert_string_equal(t.name, "default");
    assert_string_equal(want.name, "default");
}

/* light and high-contrast set every element themselves (loaded over junk,
 * nothing junk is left), and no element draws a colour on itself. */
static void check_shipped(const char *file, const char *name)
{
    struct theme t;
    char err[512];
    memset(&t, 0x5a, sizeof t);
    if (!theme_load_file(&t, file, err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(t.name, name);
    for (int e = 0; e < THEME__COUNT; e++) {
        assert_in_range(t.s256[e].fg + 1, 0, 256);
        assert_in_range(t.s256[e].bg + 1, 0, 256);
        assert_in_range(t.s8[e].fg + 1, 0, 16);
        assert_in_range(t.s8[e].bg + 1, 0, 16);
        if (t.s256[e].fg >= 0 && t.s256[e].fg == t.s256[e].bg)
            fail_msg("%s: %s is %d on %d", file, theme_elem_name((enum theme_elem)e),
                     t.s256[e].fg, t.s256[e].bg);
        if (t.s8[e].fg >= 0 && t.s8[e].fg == t.s8[e].bg)
            fail_msg("%s: %s (8 colours) is %d on %d", file,
                     theme_elem_name((enum theme_elem)e), t.s8[e].fg, t.s8[e].bg);
    }
}

static void test_light_and_high_contrast_set_every_element(void **state)
{
    (void)state;
    check_shipped("themes/light.yaml", "light");
    check_shipped("themes/high-contrast.yaml", "high-contrast");
}

static void test_mono_yaml_has_attributes_only(void **state)
{
    struct theme t;
    char err[512];
    (void)state;
    memset(&t, 0x5a, sizeof t);
    if (!theme_load_file(&t, "themes/mono.yaml", err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(t.name, "mono");
    for (int e = 0; e < THEME__COUNT; e++) {
        assert_int_equal(t.s256[e].fg, -1);
        assert_int_equal(t.s256[e].bg, -1);
        assert_int_equal(t.s8[e].fg, -1);
        assert_int_equal(t.s8[e].bg, -1);
        assert_int_equal(t.s256[e].attrs, t.mono[e]);
        assert_int_equal(t.s8[e].attrs, t.mono[e]);
    }
    /* The mono column is the default theme's. */
    {
        struct theme d;
        theme_defaults(&d);
        for (int e = 0; e < THEME__COUNT; e++)
            assert_int_equal(t.mono[e], d.mono[e]);
    }
}

static void test_element_names(void **state)
{
    (void)state;
    assert_string_equal(theme_elem_name(THEME_DEFAULT), "default");
    assert_string_equal(theme_elem_name(THEME_TREE_DIR), "tree_dir");
    assert_string_equal(theme_elem_name(THEME_STATUS_AUTH_FAILED), "status_auth_failed");
    assert_string_equal(theme_elem_name(THEME_TOO_SMALL), "too_small");
    assert_string_equal(theme_elem_name(THEME__COUNT), "?");
    for (int a = 0; a < THEME__COUNT; a++)
        for (int b = a + 1; b < THEME__COUNT; b++)
            assert_string_not_equal(theme_elem_name((enum theme_elem)a),
                                    theme_elem_name((enum theme_elem)b));
}

static short fg_of(const char *value, bool eight)
{
    struct theme t;
    char yaml[256], err[512];
    theme_defaults(&t);
    snprintf(yaml, sizeof yaml, "elements:\n  header: { %s: %s }\n", eight ? "fg8" : "fg", value);
    if (!load(&t, yaml, err, sizeof err))
        fail_msg("%s: %s", value, err);
    return eight ? t.s8[THEME_HEADER].fg : t.s256[THEME_HEADER].fg;
}

static void test_colour_forms(void **state)
{
    (void)state;
    assert_int_equal(fg_of("default", false), -1);
    assert_int_equal(fg_of("-1", false), -1);
    assert_int_equal(fg_of("black", false), 0);
    assert_int_equal(fg_of("red", false), 1);
    assert_int_equal(fg_of("RED", false), 1);
    assert_int_equal(fg_of("white", false), 7);
    assert_int_equal(fg_of("bright-black", false), 8);
    assert_int_equal(fg_of("bright-white", false), 15);
    assert_int_equal(fg_of("0", false), 0);
    assert_int_equal(fg_of("255", false), 255);
    assert_int_equal(fg_of("'17'", false), 17);
    /* #rrggbb: the nearest of the cube and the grey ramp. */
    assert_int_equal(fg_of("\"#000000\"", false), 16);
    assert_int_equal(fg_of("\"#ffffff\"", false), 231);
    assert_int_equal(fg_of("\"#FF0000\"", false), 196);
    assert_int_equal(fg_of("\"#5f87af\"", false), 67);
    assert_int_equal(fg_of("\"#808080\"", false), 244);
    assert_int_equal(fg_of("\"#121212\"", false), 233);
    /* 8-colour columns: 0-15 and the nearest basic colour. */
    assert_int_equal(fg_of("cyan", true), 6);
    assert_int_equal(fg_of("bright-cyan", true), 14);
    assert_int_equal(fg_of("15", true), 15);
    assert_int_equal(fg_of("\"#ff0000\"", true), 1);
    assert_int_equal(fg_of("\"#f0f0f0\"", true), 7);
    assert_int_equal(fg_of("\"#102010\"", true), 0);
}

static unsigned attrs_of(const char *value)
{
    struct theme t;
    char yaml[256], err[512];
    theme_defaults(&t);
    snprintf(yaml, sizeof yaml, "elements:\n  selection:\n    attrs: %s\n", value);
    if (!load(&t, yaml, err, sizeof err))
        fail_msg("%s: %s", value, err);
    return t.s256[THEME_SELECTION].attrs;
}

static void test_attribute_forms(void **state)
{
    (void)state;
    assert_int_equal(attrs_of("bold"), THEME_A_BOLD);
    assert_int_equal(attrs_of("bold underline"), THEME_A_BOLD | THEME_A_UNDERLINE);
    assert_int_equal(attrs_of("\"reverse, dim\""), THEME_A_REVERSE | THEME_A_DIM);
    assert_int_equal(attrs_of("[italic, bold]"), THEME_A_ITALIC | THEME_A_BOLD);
    assert_int_equal(attrs_of("\n      - underline\n      - reverse"),
                     THEME_A_UNDERLINE | THEME_A_REVERSE);
    assert_int_equal(attrs_of("none"), 0);
    assert_int_equal(attrs_of("\"\""), 0);
    assert_int_equal(attrs_of("[]"), 0);
    assert_int_equal(attrs_of("Bold"), THEME_A_BOLD);
}

static void test_partial_theme_keeps_the_rest(void **state)
{
    struct theme t, d;
    char err[512];
    (void)state;
    theme_defaults(&t);
    theme_defaults(&d);
    if (!load(&t,
              "# a comment\n"
              "name: mine\n"
              "elements:\n"
              "  tree_ephemeral: { fg: 208, mono: bold }\n"
              "  status_bar:\n"
              "    bg8: black\n"
              "    attrs8: [bold]\n",
              err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(t.name, "mine");
    assert_int_equal(t.s256[THEME_TREE_EPHEMERAL].fg, 208);
    assert_int_equal(t.s256[THEME_TREE_EPHEMERAL].bg, d.s256[THEME_TREE_EPHEMERAL].bg);
    assert_int_equal(t.mono[THEME_TREE_EPHEMERAL], THEME_A_BOLD);
    assert_int_equal(t.s8[THEME_STATUS_BAR].bg, 0);
    assert_int_equal(t.s8[THEME_STATUS_BAR].fg, d.s8[THEME_STATUS_BAR].fg);
    assert_int_equal(t.s8[THEME_STATUS_BAR].attrs, THEME_A_BOLD);
    assert_int_equal(t.s256[THEME_HEADER].fg, d.s256[THEME_HEADER].fg);
    /* No name: the file's. An empty file changes nothing else. */
    theme_defaults(&t);
    if (!load(&t, "elements: {}\n", err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(t.name, "t");
    theme_defaults(&t);
    if (!load(&t, "", err, sizeof err))
        fail_msg("%s", err);
    assert_same_theme(&t, &d);
}

/* yaml must fail with exactly want (after the directory). */
static void assert_error(const char *yaml, const char *want)
{
    struct theme t, before;
    char err[512];
    theme_defaults(&t);
    snprintf(t.name, sizeof t.name, "before");
    before = t;
    if (load(&t, yaml, err, sizeof err))
        fail_msg("loaded, but wanted: %s", want);
    if (strcmp(err, want) != 0)
        fail_msg("got  '%s'\nwant '%s'", err, want);
    /* A failed load changes nothing. */
    assert_memory_equal(&t, &before, sizeof t);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    assert_error("name: x\nelements:\n  heder: { fg: red }\n",
                 "t.yaml:3:3: unknown element 'heder'");
    assert_error("elements:\n  header:\n    fg: red\n    fgg: blue\n",
                 "t.yaml:4:5: header: unknown key 'fgg' (fg, bg, attrs, fg8, bg8, attrs8, mono)");
    assert_error("elements:\n  header: { fg: purple }\n",
                 "t.yaml:2:17: header.fg: 'purple' is not a colour (a name, 0-255 or \"#rrggbb\")");
    assert_error("elements:\n  header: { bg: 256 }\n",
                 "t.yaml:2:17: header.bg: colour 256 is out of range 0-255");
    assert_error("elements:\n  header: { fg8: 16 }\n",
                 "t.yaml:2:18: header.fg8: colour 16 is out of range 0-15");
    assert_error("elements:\n  header: { fg: 99999999999999999999999 }\n",
                 "t.yaml:2:17: header.fg: '99999999999999999999999' is not a colour (a name, "
                 "0-255 or \"#rrggbb\")");
    assert_error("elements:\n  header: { fg: \"#12345\" }\n",
                 "t.yaml:2:17: header.fg: '#12345' is not a colour (a name, 0-255 or \"#rrggbb\")");
    assert_error("elements:\n  header:\n    fg: #ff0000\n",
                 "t.yaml:3:8: header.fg: no colour given (quote \"#rrggbb\": a bare # starts a "
                 "comment)");
    assert_error("elements:\n  header: { attrs: bold blink }\n",
                 "t.yaml:2:20: header.attrs: unknown attribute 'blink' (bold, underline, reverse, "
                 "dim, italic or none)");
    assert_error("elements:\n  header: { mono: [bold, { x: 1 }] }\n",
                 "t.yaml:2:26: header.mono: wants attributes such as \"bold underline\"");
    assert_error("elements:\n  header: red\n", "t.yaml:2:11: header: wants a mapping of fg, bg, "
                                                "attrs, fg8, bg8, attrs8, mono");
    assert_error("elements:\n  header: {}\n  header: {}\n", "t.yaml:3:3: duplicate element 'header'");
    assert_error("elements:\n  header: { fg: 1, fg: 2 }\n",
                 "t.yaml:2:20: header: duplicate key 'fg'");
    assert_error("name: a\ncolours: {}\n", "t.yaml:2:1: unknown key 'colours' (name, elements)");
    assert_error("- a\n- b\n", "t.yaml:1:1: a theme is a mapping with name: and elements:");
    assert_error("elements: [header]\n", "t.yaml:1:11: elements: wants a mapping of element names");
    assert_error("name: [x]\n", "t.yaml:1:7: name: wants a short name");
    assert_error("elements:\n  ? [a]\n  : 1\n", "t.yaml:2:5: keys must be plain names");
    /* Malformed YAML: libyaml's words, our position. */
    assert_error("elements:\n  header: { fg: red\n",
                 "t.yaml:3:1: did not find expected ',' or '}' (while parsing a flow mapping)");
    assert_error("name: a\n  bad: indent\n",
                 "t.yaml:2:6: mapping values are not allowed in this context");
    assert_error("name: a\nelements:\n  header: { fg: *nope }\n",
                 "t.yaml:3:17: found undefined alias");
    assert_error("name: \"a\x01\"\n",
                 "t.yaml:1:9: control characters are not allowed");
    assert_error("name: a\nelements: \xff\n",
                 "t.yaml:2:11: invalid leading UTF-8 octet");
}

static void test_too_big_file_refused(void **state)
{
    size_t len = 1024 * 1024 + 10;
    char *big = malloc(len + 1), err[512];
    struct theme t;
    (void)state;
    assert_non_null(big);
    memset(big, '#', len);
    big[len] = '\0';
    theme_defaults(&t);
    assert_false(load(&t, big, err, sizeof err));
    assert_non_null(strstr(err, "larger than 1 MiB"));
    free(big);
    assert_false(theme_load_file(&t, "themes/no-such-theme.yaml", err, sizeof err));
    assert_string_equal(err, "themes/no-such-theme.yaml: No such file or directory");
}

/* Nasty but valid YAML must load or fail, never crash or take forever. */
static void test_hostile_yaml(void **state)
{
    static const char *const cases[] = {
        "a: &a [*a, *a]\n",
        "elements: &e { header: *e }\n",
        "elements:\n  header: &h { fg: 1 }\n  border: *h\n  error: *h\n",
        "elements:\n  header: { mono: &m [bold, *m] }\n",
        "x: &a [1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b]\n",
        "name: \"a\\0b\"\n",
        "elements:\n  \"head\\0er\": {}\n",
        "elements:\n  header: { fg: \"1\\0\" }\n",
        "--- a\n--- b\n",
        "%YAML 1.1\n---\nname: x\n",
        "!!map { ? name : x }\n",
        "name: !custom x\n",
        "\xef\xbb\xbfname: bom\n",
    };
    struct theme t;
    char err[512];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        theme_defaults(&t);
        load(&t, cases[i], err, sizeof err);
    }
    /* Aliases resolve to the same node: this is a valid theme. */
    theme_defaults(&t);
    if (!load(&t, cases[2], err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(t.s256[THEME_ERROR].fg, 1);
    /* Deep nesting. */
    {
        size_t depth = 200000;
        char *deep = malloc(2 * depth + 16);
        assert_non_null(deep);
        memcpy(deep, "elements: ", 10);
        memset(deep + 10, '[', depth);
        memset(deep + 10 + depth, ']', depth);
        deep[10 + 2 * depth] = '\0';
        theme_defaults(&t);
        assert_false(load(&t, deep, err, sizeof err));
        assert_non_null(strstr(err, "t.yaml:1:74: nested deeper than 64 levels"));
        memset(deep + 10, '{', depth);
        deep[10 + depth] = '\0';
        assert_false(load(&t, deep, err, sizeof err));
        assert_non_null(strstr(err, "nested deeper than 64 levels"));
        free(deep);
    }
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

/* Random bytes, and the default theme with random bytes changed. */
static void test_garbage_never_crashes(void **state)
{
    static const char alphabet[] = "{}[]:,-?&*!|>'\"#%@` \n\t\r\\abcfgmnorx0123456789\xc3\xa9\xff";
    FILE *f = fopen("themes/default.yaml", "rb");
    char base[16384], buf[16384], err[512];
    size_t n;
    struct theme t;
    (void)state;
    assert_non_null(f);
    n = fread(base, 1, sizeof base, f);
    fclose(f);
    for (int round = 0; round < 1500; round++) {
        size_t len;
        if (round % 2) {
            len = rnd() % 400;
            for (size_t i = 0; i < len; i++)
                buf[i] = round % 4 == 1 ? (char)rnd() : alphabet[rnd() % (sizeof alphabet - 1)];
        } else {
            len = n;
            memcpy(buf, base, n);
            for (int k = 0; k < 1 + (int)(rnd() % 4); k++)
                buf[rnd() % n] = alphabet[rnd() % (sizeof alphabet - 1)];
        }
        write_file(buf, len);
        theme_defaults(&t);
        if (theme_load_file(&t, path, err, sizeof err))
            continue;
        /* Every failure names the file and a position. */
        assert_non_null(strstr(err, "t.yaml"));
    }
}

static void test_find(void **state)
{
    char out[512];
    (void)state;
    setenv("ZKTUI_THEMES_DIR", "themes", 1);
    assert_true(theme_find("default", out, sizeof out));
    assert_string_equal(out, "themes/default.yaml");
    assert_true(theme_find("mono", out, sizeof out));
    assert_string_equal(out, "themes/mono.yaml");
    assert_false(theme_find("zktui-no-such-theme", out, sizeof out));
    assert_false(theme_find("", out, sizeof out));
    /* Paths are taken as they are. */
    assert_true(theme_find("./themes/mono.yaml", out, sizeof out));
    assert_string_equal(out, "./themes/mono.yaml");
    assert_true(theme_find("themes/default.yaml", out, sizeof out));
    assert_false(theme_find("themes/zktui-no-such.yaml", out, sizeof out));
    assert_false(theme_find("themes", out, sizeof out));
    /* Too long for the buffer: not found, never truncated. */
    assert_false(theme_find("default", out, 10));
    unsetenv("ZKTUI_THEMES_DIR");
    assert_false(theme_find("zktui-no-such-theme", out, sizeof out));
}

/* theme_apply on a terminal that writes to /dev/null. */
static bool start_term(const char *term, SCREEN **scr, FILE **out, FILE **in)
{
    *out = fopen("/dev/null", "w");
    *in = fopen("/dev/null", "r");
    *scr = *out && *in ? newterm(term, *out, *in) : NULL;
    if (!*scr) {
        if (*out)
            fclose(*out);
        if (*in)
            fclose(*in);
        return false;
    }
    return true;
}

static void stop_term(SCREEN *scr, FILE *out, FILE *in)
{
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

static void test_apply_modes(void **state)
{
    SCREEN *scr;
    FILE *out, *in;
    struct theme t;
    (void)state;
    theme_defaults(&t);
    unsetenv("NO_COLOR");
    if (!start_term("xterm-256color", &scr, &out, &in)) {
        skip();
        return;
    }
    theme_apply(&t);
    assert_string_equal(theme_mode_name(), "256");
    assert_true(theme_attr(THEME_SELECTION) & A_BOLD);
    assert_int_equal(PAIR_NUMBER(theme_attr(THEME_SELECTION)), THEME_SELECTION + 1);
    {
        short fg, bg;
        pair_content(THEME_SELECTION + 1, &fg, &bg);
        assert_int_equal(fg, t.s256[THEME_SELECTION].fg);
        assert_int_equal(bg, t.s256[THEME_SELECTION].bg);
    }
    /* NO_COLOR: attributes only. An empty NO_COLOR does not count. */
    setenv("NO_COLOR", "1", 1);
    theme_apply(&t);
    assert_string_equal(theme_mode_name(), "mono");
    assert_int_equal(theme_attr(THEME_SELECTION), A_REVERSE);
    assert_int_equal(theme_attr(THEME_HEADER), A_REVERSE | A_BOLD);
    assert_int_equal(theme_attr(THEME_DEFAULT), A_NORMAL);
    setenv("NO_COLOR", "", 1);
    theme_apply(&t);
    assert_string_equal(theme_mode_name(), "256");
    unsetenv("NO_COLOR");
    stop_term(scr, out, in);

    if (!start_term("xterm", &scr, &out, &in)) {
        skip();
        return;
    }
    theme_apply(&t);
    assert_string_equal(theme_mode_name(), "8");
    {
        short fg, bg;
        pair_content(THEME_STATUS_CONNECTED + 1, &fg, &bg);
        assert_int_equal(fg, t.s8[THEME_STATUS_CONNECTED].fg);
        assert_int_equal(bg, t.s8[THEME_STATUS_CONNECTED].bg);
    }
    /* A bright colour on 8 colours: its dark twin, in bold. */
    t.s8[THEME_ERROR].fg = 9;
    t.s8[THEME_ERROR].attrs = 0;
    theme_apply(&t);
    assert_true(theme_attr(THEME_ERROR) & A_BOLD);
    {
        short fg, bg;
        pair_content(THEME_ERROR + 1, &fg, &bg);
        assert_int_equal(fg, 1);
    }
    stop_term(scr, out, in);

    if (!start_term("xterm-mono", &scr, &out, &in)) {
        skip();
        return;
    }
    theme_apply(&t);
    assert_string_equal(theme_mode_name(), "mono");
    assert_int_equal(theme_attr(THEME_STATUS_EXPIRED), A_BOLD | A_UNDERLINE);
    stop_term(scr, out, in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_yaml_is_the_compiled_in_theme),
        cmocka_unit_test(test_mono_yaml_has_attributes_only),
        cmocka_unit_test(test_light_and_high_contrast_set_every_element),
        cmocka_unit_test(test_element_names),
        cmocka_unit_test(test_colour_forms),
        cmocka_unit_test(test_attribute_forms),
        cmocka_unit_test(test_partial_theme_keeps_the_rest),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_too_big_file_refused),
        cmocka_unit_test(test_hostile_yaml),
        cmocka_unit_test(test_garbage_never_crashes),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_apply_modes),
    };
    return cmocka_run_group_tests_name("theme", tests, make_dir, remove_dir);
}
