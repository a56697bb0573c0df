/* config.yaml: a flat mapping of the keys in CONFIG_KEYS. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "model/acl.h"
#include "model/path.h"
#include "ui/keys.h"
#include "ui/theme.h"
#include "yamlfile.h"


enum config_kind { KIND_STRING, KIND_PATH, KIND_MS, KIND_MS_OFF, KIND_COUNT, KIND_BOOL,
                   KIND_ZPATHS, KIND_CREDS, KIND_HOSTS, KIND_MEMBERS, KIND_THEME };

struct config_key {
    const char *name;
    size_t off, size;
    enum config_kind kind;
};

#define KEY_ROW_(name, field, kind, help) \
    { name, offsetof(struct config, field), sizeof(((struct config *)0)->field), KIND_##kind },
static const struct config_key keys[] = { CONFIG_KEYS(KEY_ROW_) };
#undef KEY_ROW_
#define KEYS_COUNT (sizeof keys / sizeof keys[0])

/* A value's text and how it was written (a plain ~ is YAML's null). */
struct value {
    const char *s;
    bool plain;
};

/* Each kind's parser: s into the field at dst (size bytes), or false with
 * the reason in why. */
typedef bool kind_parse_fn(struct value v, void *dst, size_t size, char *why, size_t whylen);

static bool is_null(struct value v)
{
    return v.plain && (!v.s[0] || strcmp(v.s, "~") == 0 || strcmp(v.s, "null") == 0);
}

static bool parse_string(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    if (is_null(v) || !v.s[0]) {
        snprintf(why, whylen, "wants a value");
        return false;
    }
    if (strlen(v.s) >= size) {
        snprintf(why, whylen, "longer than %zu bytes", size - 1);
        return false;
    }
    memcpy(dst, v.s, strlen(v.s) + 1);
    return true;
}

/* Empty or null means "the default"; a leading ~/ is $HOME. */
static bool parse_path(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    const char *home = getenv("HOME");
    int n;
    if (is_null(v)) {
        *(char *)dst = '\0';
        return true;
    }
    if (strncmp(v.s, "~/", 2) == 0 && home && home[0])
        n = snprintf(dst, size, "%s%s", home, v.s + 1);
    else
        n = snprintf(dst, size, "%s", v.s);
    if (n < 0 || (size_t)n >= size) {
        snprintf(why, whylen, "longer than %zu bytes", size - 1);
        return false;
    }
    return true;
}

/* "10000", "10000ms" or "10s": a positive number of milliseconds that fits
 * an int. */
static bool parse_ms(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    const char *p = v.s;
    long long n = 0;
    (void)size;
    for (; *p >= '0' && *p <= '9'; p++)
        if (n <= INT_MAX) /* past that, only the range error matters */
            n = n * 10 + (*p - '0');
    if (p != v.s && *p == 's' && !p[1])
        n *= 1000;
    else if (p == v.s || (*p && strcmp(p, "ms") != 0)) {
        snprintf(why, whylen, "wants a positive number of milliseconds (or \"30s\")");
        return false;
    }
    if (n <= 0 || n > INT_MAX) {
        snprintf(why, whylen, "must be between 1 ms and %d ms", INT_MAX);
        return false;
    }
    *(int *)dst = (int)n;
    return true;
}

/* A duration, or off (CONFIG_OFF). */
static bool parse_ms_off(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    if (strcmp(v.s, "off") == 0) {
        *(int *)dst = CONFIG_OFF;
        return true;
    }
    if (parse_ms(v, dst, size, why, whylen))
        return true;
    snprintf(why, whylen, "wants a positive number of milliseconds (or \"30s\"), or off");
    return false;
}

static bool parse_count(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    char *end;
    long n;
    (void)size;
    errno = 0;
    n = strtol(v.s, &end, 10);
    if (end == v.s || *end || errno || n <= 0 || n > 100000000) {
        snprintf(why, whylen, "wants a whole number from 1 to 100000000");
        return false;
    }
    *(int *)dst = (int)n;
    return true;
}

static bool parse_bool(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    static const char *const yes[] = { "true", "yes", "on" }, *const no[] = { "false", "no", "off" };
    (void)size;
    for (size_t i = 0; i < 3; i++) {
        if (strcmp(v.s, yes[i]) == 0 || strcmp(v.s, no[i]) == 0) {
            *(bool *)dst = strcmp(v.s, yes[i]) == 0;
            return true;
        }
    }
    snprintf(why, whylen, "wants true or false");
    return false;
}

/* One znode path, appended to the list at dst. */
static bool parse_zpath(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    struct zpaths *z = dst;
    const char *reason = NULL;
    (void)size;
    if (!path_is_valid(v.s, &reason)) {
        snprintf(why, whylen, "not a znode path (%s)", reason ? reason : "invalid");
        return false;
    }
    if (z->n == CONFIG_MAX_PATHS || strlen(v.s) >= sizeof z->v[0]) {
        snprintf(why, whylen, "at most %d paths of %zu bytes", CONFIG_MAX_PATHS,
                 sizeof z->v[0] - 1);
        return false;
    }
    memcpy(z->v[z->n++], v.s, strlen(v.s) + 1);
    return true;
}

/* One credential, appended to the list at dst. why never quotes it. */
static bool parse_cred(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    struct creds *c = dst;
    (void)size;
    if (!auth_check(v.s, why, whylen))
        return false;
    if (c->n == CONFIG_MAX_CREDS || strlen(v.s) >= sizeof c->v[0]) {
        snprintf(why, whylen, "at most %d credentials of %zu bytes", CONFIG_MAX_CREDS,
                 sizeof c->v[0] - 1);
        return false;
    }
    memcpy(c->v[c->n++], v.s, strlen(v.s) + 1);
    return true;
}

/* A connect string, checked as -s is, so that a bad one is said with its
 * line; the host names are resolved later, when zktui connects. */
static bool parse_hosts(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    const char *reason = NULL;
    if (!parse_string(v, dst, size, why, whylen))
        return false;
    if (!connect_string_valid(v.s, &reason)) {
        snprintf(why, whylen, "not a server list (%s)", reason ? reason : "invalid");
        return false;
    }
    return true;
}

/* The same, or empty (null or ""): the default. */
static bool parse_members(struct value v, void *dst, size_t size, char *why, size_t whylen)
{
    if (is_null(v) || !v.s[0]) {
        *(char *)dst = '\0';
        return true;
    }
    return parse_hosts(v, dst, size, why, whylen);
}

static kind_parse_fn *const kind_parse[] = {
    [KIND_STRING] = parse_string,
    [KIND_PATH] = parse_path,
    [KIND_MS] = parse_ms,
    [KIND_MS_OFF] = parse_ms_off,
    [KIND_COUNT] = parse_count,
    [KIND_BOOL] = parse_bool,
    [KIND_ZPATHS] = parse_zpath,
    [KIND_CREDS] = parse_cred,
    [KIND_HOSTS] = parse_hosts,
    [KIND_MEMBERS] = parse_members,
    [KIND_THEME] = parse_string, /* then theme_known, in load_pair */
};

/* A theme zktui would find now, as main resolves it: default is compiled
 * in; any other is a file found by theme_find. Checked at load, so that a
 * wrong one is said with its line in every mode (--dump too), and only for
 * the cluster in force: the others are not read. */
static bool theme_known(const char *name)
{
    char path[PATH_MAX];
    return strcmp(name, "default") == 0 || theme_find(name, path, sizeof path);
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->server, sizeof c->server, "127.0.0.1:2181");
    c->session_timeout_ms = 10000;
    snprintf(c->theme, sizeof c->theme, "default");
    c->services.n = 1;
    snprintf(c->services.v[0], sizeof c->services.v[0], "/servers");
    c->hold_warn_ms = 60000;
    c->probe_interval_ms = 2000;
    c->event_log_size = 10000;
    c->max_children = 10000;
    c->walk_window = 1000;
    c->data_cache = 16 * 1024 * 1024;
    c->watch_budget = 512 * 1024;
}

struct load {
    const char *file;
    yaml_document_t *doc;
    struct config *c;
    char *err;
    size_t errlen;
    const char *want; /* the cluster asked for (--context), or NULL */
};

static bool cluster_key(const char *name)
{
    static const char *const names[] = CONFIG_CLUSTER_KEYS;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static bool fail_at(struct load *l, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail_at(struct load *l, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    yamlfile_vfail(l->file, m, l->err, l->errlen, fmt, ap);
    va_end(ap);
    return false;
}

/* Adds a whole line to c->warnings, or nothing when it does not fit. */
static void warn_at(struct load *l, yaml_mark_t m, const char *what)
{
    char line[256];
    size_t used = strlen(l->c->warnings);
    int n = snprintf(line, sizeof line, "%s:%zu:%zu: %s\n", l->file, m.line + 1, m.column + 1, what);
    if (n > 0 && (size_t)n < sizeof line && used + (size_t)n < sizeof l->c->warnings)
        memcpy(l->c->warnings + used, line, (size_t)n + 1);
}

/* A list of paths, or one path alone; each checked the server's way. */
static bool load_zpaths(struct load *l, const char *name, const yaml_node_t *v, struct zpaths *z)
{
    char buf[64], why[128];
    z->n = 0;
    if (v->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
             it++) {
            const yaml_node_t *e = yaml_document_get_node(l->doc, *it);
            struct value val = { yamlfile_scalar(e), true };
            if (!val.s)
                return fail_at(l, e->start_mark, "%s: wants a list of paths", name);
            if (!parse_zpath(val, z, 0, why, sizeof why))
                return fail_at(l, e->start_mark, "%s: %s, not '%s'", name, why,
                               yamlfile_shown(val.s, buf, sizeof buf));
        }
        return true;
    }
    {
        struct value val = { yamlfile_scalar(v), true };
        if (!val.s)
            return fail_at(l, v->start_mark, "%s: wants a list of paths", name);
        if (!parse_zpath(val, z, 0, why, sizeof why))
            return fail_at(l, v->start_mark, "%s: %s, not '%s'", name, why,
                           yamlfile_shown(val.s, buf, sizeof buf));
    }
    return true;
}

/* A list of credentials, or one alone. Errors name the entry's place,
 * never its text. */
static bool load_creds(struct load *l, const char *name, const yaml_node_t *v, struct creds *c)
{
    char why[128];
    const yaml_node_t *one = v;
    yaml_node_item_t *it = NULL;
    c->n = 0;
    if (v->type == YAML_SEQUENCE_NODE) {
        it = v->data.sequence.items.start;
        if (it == v->data.sequence.items.top)
            return true;
        one = yaml_document_get_node(l->doc, *it);
    }
    for (;;) {
        struct value val = { yamlfile_scalar(one), true };
        if (!val.s)
            return fail_at(l, one->start_mark, "%s: wants a list of scheme:credential", name);
        if (!parse_cred(val, c, 0, why, sizeof why))
            return fail_at(l, one->start_mark, "%s: %s", name, why);
        if (!it || ++it == v->data.sequence.items.top)
            return true;
        one = yaml_document_get_node(l->doc, *it);
    }
}

static bool load_pair(struct load *l, const yaml_node_t *k, const yaml_node_t *v, unsigned *seen,
                      bool in_cluster)
{
    const char *name = yamlfile_scalar(k);
    char buf[64], why[128], what[128];
    struct value val;
    size_t i;
    if (!name)
        return fail_at(l, k->start_mark, "keys must be plain names");
    for (i = 0; i < KEYS_COUNT && strcmp(name, keys[i].name) != 0; i++)
        ;
    if (i == KEYS_COUNT) {
        snprintf(what, sizeof what, "unknown key '%s'", yamlfile_shown(name, buf, sizeof buf));
        warn_at(l, k->start_mark, what);
        return true;
    }
    if (in_cluster && !cluster_key(name)) {
        snprintf(what, sizeof what, "'%s' is for the whole file, not one cluster: ignored here",
                 name);
        warn_at(l, k->start_mark, what);
        return true;
    }
    if (*seen & (1u << i))
        return fail_at(l, k->start_mark, "%s: given twice", name);
    *seen |= 1u << i;
    if (keys[i].kind == KIND_ZPATHS)
        return load_zpaths(l, name, v, (struct zpaths *)(void *)((char *)l->c + keys[i].off));
    if (keys[i].kind == KIND_CREDS)
        return load_creds(l, name, v, (struct creds *)(void *)((char *)l->c + keys[i].off));
    if (!(val.s = yamlfile_scalar(v)))
        return fail_at(l, v->start_mark, "%s: wants a single value, not a %s", name,
                       v->type == YAML_SCALAR_NODE ? "string with a NUL byte"
                       : v->type == YAML_MAPPING_NODE ? "mapping" : "list");
    val.plain = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (!kind_parse[keys[i].kind](val, (char *)l->c + keys[i].off, keys[i].size, why, sizeof why))
        return fail_at(l, v->start_mark, "%s: %s, not '%s'", name, why, yamlfile_shown(val.s, buf, sizeof buf));
    if (keys[i].kind == KIND_THEME && !theme_known(val.s))
        return fail_at(l, v->start_mark,
                       "%s: no such theme '%s' (default, light, high-contrast, mono, or a file)",
                       name, yamlfile_shown(val.s, buf, sizeof buf));
    return true;
}

/* clusters: name -> mapping. Lists the names, then applies the one in
 * force over what the file's own keys said. */
static bool load_clusters(struct load *l, const yaml_node_t *v)
{
    struct config *c = l->c;
    const yaml_node_t *chosen = NULL;
    const char *want;
    char buf[64], list[600] = "";
    unsigned seen = 0;
    if (v->type != YAML_MAPPING_NODE)
        return fail_at(l, v->start_mark, "clusters: wants a mapping of name: { server: ... }");
    c->nclusters = 0;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *e = yaml_document_get_node(l->doc, p->value);
        const char *name = yamlfile_scalar(k);
        if (!name || !name[0] || strlen(name) >= sizeof c->clusters[0])
            return fail_at(l, k->start_mark, "clusters: a cluster's name is 1 to %zu characters",
                           sizeof c->clusters[0] - 1);
        if (e->type != YAML_MAPPING_NODE)
            return fail_at(l, e->start_mark, "clusters: %s: wants a mapping of key: value",
                           yamlfile_shown(name, buf, sizeof buf));
        for (int i = 0; i < c->nclusters; i++)
            if (strcmp(c->clusters[i], name) == 0)
                return fail_at(l, k->start_mark, "clusters: %s: given twice",
                               yamlfile_shown(name, buf, sizeof buf));
        if (c->nclusters == CONFIG_MAX_CLUSTERS)
            return fail_at(l, k->start_mark, "clusters: at most %d", CONFIG_MAX_CLUSTERS);
        memcpy(c->clusters[c->nclusters++], name, strlen(name) + 1);
    }
    if (c->nclusters == 0)
        return fail_at(l, v->start_mark, "clusters: names none");
    want = l->want ? l->want : c->context[0] ? c->context : c->clusters[0];
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++)
        if (strcmp(yamlfile_scalar(yaml_document_get_node(l->doc, p->key)), want) == 0)
            chosen = yaml_document_get_node(l->doc, p->value);
    if (!chosen) {
        for (int i = 0; i < c->nclusters; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     c->clusters[i]);
        snprintf(l->err, l->errlen, "%s: no cluster '%s' (it has %s)", l->file,
                 yamlfile_shown(want, buf, sizeof buf), list);
        return false;
    }
    snprintf(c->cluster, sizeof c->cluster, "%.63s", want);
    for (yaml_node_pair_t *p = chosen->data.mapping.pairs.start;
         p < chosen->data.mapping.pairs.top; p++)
        if (!load_pair(l, yaml_document_get_node(l->doc, p->key),
                       yaml_document_get_node(l->doc, p->value), &seen, true))
            return false;
    return true;
}

/* keys: a mapping of action name -> a key name, or a list of them. */
static bool load_keys(struct load *l, const yaml_node_t *v)
{
    struct config *c = l->c;
    char buf[64];
    if (v->type != YAML_MAPPING_NODE)
        return fail_at(l, v->start_mark, "keys: wants a mapping of action: key (or [keys])");
    c->nbindings = 0;
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *e = yaml_document_get_node(l->doc, p->value), *one = e;
        const char *name = yamlfile_scalar(k);
        yaml_node_item_t *it = NULL;
        enum action act = name ? action_find(name) : ACT_NONE;
        if (act == ACT_NONE)
            return fail_at(l, k->start_mark, "keys: no action '%s' (? lists them)",
                           yamlfile_shown(name ? name : "", buf, sizeof buf));
        if (c->nbindings == CONFIG_MAX_BINDINGS)
            return fail_at(l, k->start_mark, "keys: at most %d actions", CONFIG_MAX_BINDINGS);
        c->bindings[c->nbindings].action = act;
        c->bindings[c->nbindings].n = 0;
        if (e->type == YAML_SEQUENCE_NODE) {
            it = e->data.sequence.items.start;
            one = it < e->data.sequence.items.top ? yaml_document_get_node(l->doc, *it) : NULL;
        }
        while (one) {
            const char *s = yamlfile_scalar(one);
            int key, *n = &c->bindings[c->nbindings].n;
            if (!s || !key_parse(s, &key))
                return fail_at(l, one->start_mark,
                               "keys: %s: no key '%s' (a character, C-x, Up, PgDn, F1, Enter, "
                               "Tab, Esc, Space ...)", name, yamlfile_shown(s ? s : "", buf,
                                                                            sizeof buf));
            if (*n == 8)
                return fail_at(l, one->start_mark, "keys: %s: at most 8 keys", name);
            c->bindings[c->nbindings].keys[(*n)++] = key;
            if (!it || ++it >= e->data.sequence.items.top)
                break;
            one = yaml_document_get_node(l->doc, *it);
        }
        c->nbindings++;
    }
    return true;
}

static bool load_root(struct load *l)
{
    const yaml_node_t *root = yaml_document_get_root_node(l->doc), *clusters = NULL;
    unsigned seen = 0;
    if (!root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length))
        root = NULL; /* nothing but comments */
    else if (root->type != YAML_MAPPING_NODE)
        return fail_at(l, root->start_mark, "the configuration is a mapping of key: value lines");
    for (yaml_node_pair_t *p = root ? root->data.mapping.pairs.start : NULL;
         root && p < root->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const char *name = yamlfile_scalar(k);
        if (name && strcmp(name, "clusters") == 0) {
            if (clusters)
                return fail_at(l, k->start_mark, "clusters: given twice");
            clusters = yaml_document_get_node(l->doc, p->value);
        } else if (name && strcmp(name, "keys") == 0) {
            if (!load_keys(l, yaml_document_get_node(l->doc, p->value)))
                return false;
        } else if (!load_pair(l, k, yaml_document_get_node(l->doc, p->value), &seen, false))
            return false;
    }
    if (clusters)
        return load_clusters(l, clusters);
    if (l->want) {
        snprintf(l->err, l->errlen, "%s: no clusters: mapping, so no cluster '%s'", l->file,
                 l->want);
        return false;
    }
    return true;
}

/* The whole file, NUL-terminated (caller frees), or NULL with err set. */
bool config_load_file(struct config *c, const char *file, char *err, size_t errlen)
{
    return config_load_context(c, file, NULL, err, errlen);
}

bool config_load_context(struct config *c, const char *file, const char *context, char *err,
                         size_t errlen)
{
    struct config copy = *c;
    struct load l = { file, NULL, &copy, err, errlen, context };
    yaml_document_t doc;
    bool ok;
    if (!yamlfile_load(file, "configuration", &doc, err, errlen))
        return false;
    l.doc = &doc;
    ok = load_root(&l);
    yaml_document_delete(&doc);
    if (ok)
        *c = copy;
    return ok;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *config_find(const char *cli_path, bool *must_exist)
{
    static char path[PATH_MAX];
    const char *env = getenv("ZKTUI_CONFIG");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    *must_exist = cli_path || (env && env[0]);
    if (cli_path)
        return exists(cli_path) ? cli_path : NULL;
    if (env && env[0])
        return exists(env) ? env : NULL;
    /* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
    if (xdg && xdg[0] == '/')
        n = snprintf(path, sizeof path, "%s/zktui/config.yaml", xdg);
    else if (home && home[0])
        n = snprintf(path, sizeof path, "%s/.config/zktui/config.yaml", home);
    else
        return NULL;
    return n > 0 && (size_t)n < sizeof path && exists(path) ? path : NULL;
}

bool config_auth_env(struct config *c, const char *value, char *err, size_t errlen)
{
    struct creds got = { 0 };
    char why[128], line[sizeof got.v[0] + 1];
    int lineno = 0;
    for (const char *p = value; *p;) {
        const char *end = strchr(p, '\n');
        size_t full = end ? (size_t)(end - p) : strlen(p), n = full;
        struct value v = { line, false };
        lineno++;
        if (n && p[n - 1] == '\r')
            n--;
        if (n >= sizeof line) {
            snprintf(err, errlen, "ZKTUI_AUTH: line %d: longer than %zu bytes", lineno,
                     sizeof line - 2);
            return false;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        if (n && !parse_cred(v, &got, 0, why, sizeof why)) {
            snprintf(err, errlen, "ZKTUI_AUTH: line %d: %s", lineno, why);
            explicit_bzero(line, sizeof line);
            return false;
        }
        p += full + (end ? 1 : 0);
    }
    explicit_bzero(line, sizeof line);
    c->auth = got;
    explicit_bzero(&got, sizeof got);
    return true;
}

bool config_file_exposed(const char *file, unsigned *mode)
{
    struct stat st;
    if (stat(file, &st) != 0)
        return false;
    *mode = (unsigned)st.st_mode & 07777;
    return (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
}
