/* config.yaml: defaults, every key, units, errors that name their line, and
 * where the file is looked for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "ui/app.h"

static char dir[] = "/tmp/zktui-config-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_defaults(void **state)
{
    struct config c;
    (void)state;
    config_defaults(&c);
    assert_string_equal(c.server, "127.0.0.1:2181");
    assert_int_equal(c.session_timeout_ms, 10000);
    assert_string_equal(c.log_file, "");
    assert_string_equal(c.theme, "default");
    assert_string_equal(c.warnings, "");
}

static void test_every_key_and_units(void **state)
{
    struct config c;
    char err[256] = "";
    (void)state;
    config_defaults(&c);
    assert_true(config_load_file(&c, write_file("a.yaml", "server: zk1:2181,zk2:2181/app\n"
                                                          "session_timeout: 4s\n"
                                                          "log: /var/tmp/zk.log\n"
                                                          "theme: mono\n"),
                                 err, sizeof err));
    assert_string_equal(c.server, "zk1:2181,zk2:2181/app");
    assert_int_equal(c.session_timeout_ms, 4000);
    assert_string_equal(c.log_file, "/var/tmp/zk.log");
    assert_string_equal(c.theme, "mono");
    assert_true(config_load_file(&c, write_file("b.yaml", "session_timeout: 2500ms\n"), err, sizeof err));
    assert_int_equal(c.session_timeout_ms, 2500);
    assert_true(config_load_file(&c, write_file("c.yaml", "session_timeout: 3000\n"), err, sizeof err));
    assert_int_equal(c.session_timeout_ms, 3000);
    assert_string_equal(c.server, "zk1:2181,zk2:2181/app"); /* untouched keys stay */
}

static void test_shipped_example_is_the_defaults(void **state)
{
    struct config c, d;
    char err[256] = "";
    (void)state;
    config_defaults(&c);
    config_defaults(&d);
    assert_true(config_load_file(&c, "config.yaml.example", err, sizeof err));
    assert_string_equal(c.warnings, "");
    assert_memory_equal(&c, &d, sizeof c);
}

static void test_lists_and_switches(void **state)
{
    struct config c;
    char err[256] = "";
    (void)state;
    config_defaults(&c);
    assert_true(config_load_file(&c, write_file("ok.yaml",
        "read_only: yes\nlocks: /app/locks\nservices: [/a, /b/c]\nhold_warn: 5s\n"), err, sizeof err));
    assert_true(c.read_only);
    assert_int_equal(c.locks.n, 1);
    assert_string_equal(c.locks.v[0], "/app/locks");
    assert_int_equal(c.services.n, 2);
    assert_string_equal(c.services.v[1], "/b/c");
    assert_int_equal(c.hold_warn_ms, 5000);
}

static void bad_value(const char *text, const char *want)
{
    struct config c, before;
    char err[256] = "";
    config_defaults(&c);
    before = c;
    assert_false(config_load_file(&c, write_file("bad.yaml", text), err, sizeof err));
    if (!strstr(err, want))
        fail_msg("error '%s' lacks '%s'", err, want);
    assert_memory_equal(&c, &before, sizeof c); /* left as it was */
}

static void test_bad_values_name_the_line_and_change_nothing(void **state)
{
    (void)state;
    bad_value("server: a:1\nsession_timeout: soon\n", "bad.yaml:2:");
    bad_value("session_timeout: -5\n", "session_timeout");
    bad_value("session_timeout: 0\n", "session_timeout");
    bad_value("server: ''\n", "server");
    bad_value("server: [a, b]\n", "server");
    bad_value("server: 'bad host'\n", "bad.yaml:1:9: server: not a server list");
    bad_value("server: zk1:99999\n", "server: not a server list (a port is");
    bad_value("ensemble: a:1,,b:2\n", "bad.yaml:1:11: ensemble: not a server list");
    bad_value("read_only: maybe\n", "read_only: wants true or false");
    bad_value("locks: [/ok, no-slash]\n", "locks: not a znode path");
    bad_value("event_log_size: 0\n", "event_log_size");
    bad_value("- just\n- a list\n", "bad.yaml:1:");
    bad_value("server: 'unterminated\n", "bad.yaml:");
}

/* The keys that test_every_key_and_units and test_lists_and_switches do
 * not set, each away from its default. */
static void test_the_other_keys(void **state)
{
    struct config c;
    char err[256] = "", ca[600];
    (void)state;
    config_defaults(&c);
    if (!config_load_file(&c, write_file("rest.yaml", "probe_interval: 500ms\n"
                                                      "event_log_size: 42\n"
                                                      "max_children: 7\n"
                                                      "walk_window: 3\n"
                                                      "data_cache: 4096\n"
                                                      "watch_budget: 65536\n"
                                                      "ensemble: zk1:2181,zk2:2181\n"
                                                      "tls_ca: ~/ca.pem\n"
                                                      "tls_cert: /etc/zk/cert.pem\n"
                                                      "tls_key: /etc/zk/key.pem\n"
                                                      "context: dev\n"),
                          err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(c.warnings, "");
    assert_int_equal(c.probe_interval_ms, 500);
    assert_int_equal(c.event_log_size, 42);
    assert_int_equal(c.max_children, 7);
    assert_int_equal(c.walk_window, 3);
    assert_int_equal(c.data_cache, 4096);
    assert_int_equal(c.watch_budget, 65536);
    assert_string_equal(c.ensemble, "zk1:2181,zk2:2181");
    snprintf(ca, sizeof ca, "%s/ca.pem", getenv("HOME")); /* ~/ is $HOME */
    assert_string_equal(c.tls_ca, ca);
    assert_string_equal(c.tls_cert, "/etc/zk/cert.pem");
    assert_string_equal(c.tls_key, "/etc/zk/key.pem");
    assert_string_equal(c.context, "dev");
    /* Empty: back to the default. */
    assert_true(config_load_file(&c, write_file("empty.yaml", "ensemble: ''\ntls_ca:\n"), err,
                                 sizeof err));
    assert_string_equal(c.ensemble, "");
    assert_string_equal(c.tls_ca, "");
    bad_value("probe_interval: 0s\n", "bad.yaml:1:17: probe_interval:");
    bad_value("probe_interval: never\n",
              "bad.yaml:1:17: probe_interval: wants a positive number of milliseconds (or \"30s\"), "
              "or off");
    bad_value("hold_warn: off\n", "bad.yaml:1:12: hold_warn: wants a positive number");
    assert_true(config_load_file(&c, write_file("off.yaml", "probe_interval: off\n"), err,
                                 sizeof err));
    assert_int_equal(c.probe_interval_ms, CONFIG_OFF);
    bad_value("max_children: -1\n", "bad.yaml:1:15: max_children: wants a whole number");
    bad_value("walk_window: many\n", "walk_window: wants a whole number");
    bad_value("data_cache: 1.5\n", "data_cache: wants a whole number");
    bad_value("watch_budget: 0\n", "watch_budget: wants a whole number");
    bad_value("tls_key: [a, b]\n", "tls_key: wants a single value");
}

static void test_deep_nesting_is_refused_quickly(void **state)
{
    size_t depth = 500000; /* libyaml alone would take many minutes */
    char *deep = malloc(2 * depth + 16);
    (void)state;
    assert_non_null(deep);
    memcpy(deep, "server: ", 8);
    memset(deep + 8, '[', depth);
    memset(deep + 8 + depth, ']', depth);
    deep[8 + 2 * depth] = '\0';
    bad_value(deep, "bad.yaml:1:72: nested deeper than 64 levels");
    free(deep);
}

static void test_unknown_key_is_a_warning(void **state)
{
    struct config c;
    char err[256] = "";
    (void)state;
    config_defaults(&c);
    assert_true(config_load_file(&c, write_file("w.yaml", "colour: red\ntheme: mono\n"), err, sizeof err));
    assert_string_equal(c.theme, "mono");
    assert_non_null(strstr(c.warnings, "w.yaml:1:"));
    assert_non_null(strstr(c.warnings, "colour"));
}

static void test_empty_file_changes_nothing(void **state)
{
    struct config c, d;
    char err[256] = "";
    (void)state;
    config_defaults(&c);
    config_defaults(&d);
    assert_true(config_load_file(&c, write_file("e.yaml", ""), err, sizeof err));
    assert_memory_equal(&c, &d, sizeof c);
}

static void test_find(void **state)
{
    bool must = false;
    char xdg[512], home[512], f[512], g[512];
    (void)state;
    unsetenv("ZKTUI_CONFIG");
    snprintf(xdg, sizeof xdg, "%s/xdg", dir);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    assert_null(config_find(NULL, &must)); /* nothing there: no config */
    assert_false(must);
    assert_null(config_find("/nonexistent/zktui.yaml", &must));
    assert_true(must);
    snprintf(f, sizeof f, "%s", write_file("env.yaml", ""));
    setenv("ZKTUI_CONFIG", f, 1);
    assert_string_equal(config_find(NULL, &must), f);
    /* --config wins over $ZKTUI_CONFIG. */
    snprintf(g, sizeof g, "%s", write_file("cli.yaml", ""));
    assert_string_equal(config_find(g, &must), g);
    unsetenv("ZKTUI_CONFIG");
    /* Else $XDG_CONFIG_HOME/zktui/config.yaml, which need not be there. */
    assert_int_equal(mkdir(xdg, 0700), 0);
    assert_int_equal(mkdir(strcat(xdg, "/zktui"), 0700), 0);
    snprintf(f, sizeof f, "%s", write_file("xdg/zktui/config.yaml", ""));
    assert_string_equal(config_find(NULL, &must), f);
    assert_false(must);
    /* Without XDG_CONFIG_HOME, ~/.config/zktui/config.yaml. */
    unsetenv("XDG_CONFIG_HOME");
    snprintf(home, sizeof home, "%s", getenv("HOME") ? getenv("HOME") : "/");
    setenv("HOME", dir, 1);
    assert_null(config_find(NULL, &must));
    snprintf(xdg, sizeof xdg, "%s/.config", dir);
    assert_int_equal(mkdir(xdg, 0700), 0);
    assert_int_equal(mkdir(strcat(xdg, "/zktui"), 0700), 0);
    snprintf(g, sizeof g, "%s", write_file(".config/zktui/config.yaml", ""));
    assert_string_equal(config_find(NULL, &must), g);
    assert_false(must);
    setenv("HOME", home, 1);
}

static void test_auth(void **state)
{
    struct config c, before;
    char err[256] = "";
    unsigned mode = 0;
    const char *f;
    (void)state;
    config_defaults(&c);
    assert_int_equal(c.auth.n, 0);
    f = write_file("auth.yaml", "auth:\n  - digest:alice:s3cret\n  - 'ip:'\n");
    assert_true(config_load_file(&c, f, err, sizeof err));
    assert_int_equal(c.auth.n, 2);
    assert_string_equal(c.auth.v[0], "digest:alice:s3cret");
    assert_string_equal(c.auth.v[1], "ip:");
    assert_true(config_load_file(&c, write_file("one.yaml", "auth: digest:bob:pw\n"), err,
                                 sizeof err));
    assert_int_equal(c.auth.n, 1);
    assert_string_equal(c.auth.v[0], "digest:bob:pw");
    /* Bad entries name their line and what is wrong, never the secret. */
    bad_value("auth:\n  - digest:alice:s3cret\n  - s3cret\n", "bad.yaml:3:5: auth: wants scheme:credential");
    bad_value("auth: [digest:s3cret]\n", "auth: digest wants user:password");
    bad_value("auth: [digest::s3cret]\n", "the user is empty");
    bad_value("auth: {a: b}\n", "auth: wants a list");
    config_defaults(&c);
    before = c;
    assert_false(config_load_file(&c, write_file("bad.yaml", "auth: [digest:s3cret]\n"), err,
                                  sizeof err));
    assert_null(strstr(err, "s3cret"));
    assert_memory_equal(&c, &before, sizeof c);
    /* ZKTUI_AUTH: one, or several lines; replaces the file's list. */
    config_defaults(&c);
    c.auth.n = 1;
    assert_true(config_auth_env(&c, "digest:carol:x:y", err, sizeof err));
    assert_int_equal(c.auth.n, 1);
    assert_string_equal(c.auth.v[0], "digest:carol:x:y");
    assert_true(config_auth_env(&c, "digest:a:1\r\n\ndigest:b:2\n", err, sizeof err));
    assert_int_equal(c.auth.n, 2);
    assert_string_equal(c.auth.v[1], "digest:b:2");
    assert_false(config_auth_env(&c, "digest:a:1\ndigest:s3cret", err, sizeof err));
    assert_string_equal(err, "ZKTUI_AUTH: line 2: digest wants user:password after 'digest:'");
    assert_int_equal(c.auth.n, 2); /* left as it was */
    /* Who may read the file. */
    assert_int_equal(chmod(f, 0644), 0);
    assert_true(config_file_exposed(f, &mode));
    assert_int_equal(mode, 0644);
    assert_int_equal(chmod(f, 0600), 0);
    assert_false(config_file_exposed(f, &mode));
}

static const char clusters_yaml[] =
    "server: shared:2181\n"
    "hold_warn: 30s\n"
    "context: dev\n"
    "clusters:\n"
    "  prod:\n"
    "    server: zk1:2181,zk2:2181/app\n"
    "    read_only: true\n"
    "    theme: high-contrast\n"
    "    ensemble: zk1:2181,zk2:2181,zk3:2181\n"
    "  dev:\n"
    "    locks: [/dev/locks]\n"
    "    log: /elsewhere.log\n";

static void test_clusters(void **state)
{
    struct config c;
    char err[512];
    const char *f = write_file("clusters.yaml", clusters_yaml);
    (void)state;
    /* The file's context: dev; what dev does not set comes from the top. */
    config_defaults(&c);
    if (!config_load_context(&c, f, NULL, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(c.nclusters, 2);
    assert_string_equal(c.clusters[0], "prod");
    assert_string_equal(c.clusters[1], "dev");
    assert_string_equal(c.cluster, "dev");
    assert_string_equal(c.server, "shared:2181");
    assert_int_equal(c.locks.n, 1);
    assert_string_equal(c.locks.v[0], "/dev/locks");
    assert_int_equal(c.hold_warn_ms, 30000);
    assert_false(c.read_only);
    /* A whole-file key inside a cluster: a warning, and not applied. */
    assert_non_null(strstr(c.warnings, "clusters.yaml:12:5: 'log' is for the whole file"));
    assert_string_equal(c.log_file, "");
    /* --context prod: its keys win. */
    config_defaults(&c);
    if (!config_load_context(&c, f, "prod", err, sizeof err))
        fail_msg("%s", err);
    assert_string_equal(c.cluster, "prod");
    assert_string_equal(c.server, "zk1:2181,zk2:2181/app");
    assert_true(c.read_only);
    assert_string_equal(c.theme, "high-contrast");
    assert_string_equal(c.ensemble, "zk1:2181,zk2:2181,zk3:2181");
    assert_int_equal(c.hold_warn_ms, 30000);
    /* A cluster it does not have: said with those it has; nothing changed. */
    config_defaults(&c);
    assert_false(config_load_context(&c, f, "stage", err, sizeof err));
    assert_non_null(strstr(err, "no cluster 'stage' (it has prod, dev)"));
    assert_string_equal(c.server, "127.0.0.1:2181");
    assert_int_equal(c.nclusters, 0);
    /* No clusters at all, and one asked for. */
    assert_false(config_load_context(&c, write_file("flat.yaml", "server: a:1\n"), "prod", err,
                                     sizeof err));
    assert_non_null(strstr(err, "no clusters: mapping, so no cluster 'prod'"));
    /* Without context:, the first. */
    config_defaults(&c);
    assert_true(config_load_context(&c, write_file("first.yaml", "clusters:\n  a: {server: a:1}\n"
                                                                 "  b: {server: b:1}\n"),
                                    NULL, err, sizeof err));
    assert_string_equal(c.cluster, "a");
    assert_string_equal(c.server, "a:1");
    /* Bad shapes name their line. */
    assert_false(config_load_context(&c, write_file("b1.yaml", "clusters: [a, b]\n"), NULL, err,
                                     sizeof err));
    assert_non_null(strstr(err, "b1.yaml:1:11: clusters: wants a mapping"));
    assert_false(config_load_context(&c, write_file("b2.yaml", "clusters:\n  a: 1\n"), NULL, err,
                                     sizeof err));
    assert_non_null(strstr(err, "b2.yaml:2:6: clusters: a: wants a mapping"));
    assert_false(config_load_context(&c, write_file("b3.yaml", "clusters:\n  a: {}\n  a: {}\n"),
                                     NULL, err, sizeof err));
    assert_non_null(strstr(err, "b3.yaml:3:3: clusters: a: given twice"));
    assert_false(config_load_context(&c, write_file("b4.yaml", "clusters:\n  a: {session_timeout: -1}\n"),
                                     NULL, err, sizeof err));
    assert_non_null(strstr(err, "b4.yaml:2:24: session_timeout:"));
}

/* A theme that is not found is an error at its line, whatever the mode:
 * checked at load, as main looks themes up. A cluster's only when that
 * cluster is the one loaded. */
static void test_unknown_theme_names_its_line(void **state)
{
    struct config c;
    char err[512], theme[600];
    const char *f;
    (void)state;
    bad_value("server: a:1\ntheme: nosuch\n",
              "bad.yaml:2:8: theme: no such theme 'nosuch' (default, light, high-contrast, "
              "mono, or a file)");
    bad_value("theme: /no/such/red.yaml\n", "bad.yaml:1:8: theme: no such theme '/no/such/red.yaml'");
    /* A theme file by its path; default without any themes directory. */
    snprintf(theme, sizeof theme, "theme: %s\n", write_file("red.yaml", "selection: {fg: 1}\n"));
    config_defaults(&c);
    if (!config_load_file(&c, write_file("file.yaml", theme), err, sizeof err))
        fail_msg("%s", err);
    unsetenv("ZKTUI_THEMES_DIR");
    assert_true(config_load_file(&c, write_file("def.yaml", "theme: default\n"), err, sizeof err));
    setenv("ZKTUI_THEMES_DIR", "themes", 1);
    f = write_file("ct.yaml", "clusters:\n"
                              "  good: {server: a:1, theme: light}\n"
                              "  bad:\n"
                              "    server: b:1\n"
                              "    theme: nosuch\n");
    config_defaults(&c);
    if (!config_load_context(&c, f, NULL, err, sizeof err))
        fail_msg("the cluster not in force is not checked: %s", err);
    assert_string_equal(c.theme, "light");
    assert_false(config_load_context(&c, f, "bad", err, sizeof err));
    if (!strstr(err, "ct.yaml:5:12: theme: no such theme 'nosuch' ("))
        fail_msg("%s", err);
    assert_string_equal(c.cluster, "good"); /* left as it was */
}

static void test_keys(void **state)
{
    struct config c;
    char err[512];
    (void)state;
    config_defaults(&c);
    if (!config_load_file(&c, write_file("keys.yaml", "keys:\n  quit: x\n  down: [n, Down, C-n]\n"),
                          err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(c.nbindings, 2);
    assert_int_equal(c.bindings[0].action, ACT_QUIT);
    assert_int_equal(c.bindings[0].n, 1);
    assert_int_equal(c.bindings[0].keys[0], 'x');
    assert_int_equal(c.bindings[1].action, ACT_DOWN);
    assert_int_equal(c.bindings[1].n, 3);
    assert_int_equal(c.bindings[1].keys[2], 14);
    config_defaults(&c);
    assert_false(config_load_file(&c, write_file("k1.yaml", "keys:\n  fly: x\n"), err, sizeof err));
    assert_non_null(strstr(err, "k1.yaml:2:3: keys: no action 'fly'"));
    assert_false(config_load_file(&c, write_file("k2.yaml", "keys:\n  quit: [x, Dwn]\n"), err,
                                  sizeof err));
    assert_non_null(strstr(err, "k2.yaml:2:13: keys: quit: no key 'Dwn'"));
    assert_false(config_load_file(&c, write_file("k3.yaml", "keys: [q]\n"), err, sizeof err));
    assert_non_null(strstr(err, "k3.yaml:1:7: keys: wants a mapping"));
    assert_int_equal(c.nbindings, 0);
}

static int setup(void **state)
{
    (void)state;
    /* The shipped themes, from the source tree the tests run in (as
     * config.yaml.example is read): a config's theme must be found. */
    setenv("ZKTUI_THEMES_DIR", "themes", 1);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[600];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key_and_units),
        cmocka_unit_test(test_the_other_keys),
        cmocka_unit_test(test_shipped_example_is_the_defaults),
        cmocka_unit_test(test_bad_values_name_the_line_and_change_nothing),
        cmocka_unit_test(test_lists_and_switches),
        cmocka_unit_test(test_deep_nesting_is_refused_quickly),
        cmocka_unit_test(test_unknown_key_is_a_warning),
        cmocka_unit_test(test_empty_file_changes_nothing),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_unknown_theme_names_its_line),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
