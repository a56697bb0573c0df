/* zktui: arguments, configuration, start-up and shutdown. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "config.h"
#include "follow.h"
#include "model/path.h"
#include "ui/theme.h"
#include "ui/keys.h"
#include "ui/trace.h"
#include "ui/ui.h"

struct opts {
    struct config cfg;
    const char *config_file;
    bool dump;
    bool locks;
    bool events;
    bool json;
    bool stats;             /* --stats, with --dump */
    const char *open_path;  /* --open PATH */
    const char *dump_path;  /* --dump's or --locks' PATH */
    const char *context;    /* --context NAME */
    const char *trace;      /* --trace FILE */
    bool cli_read_only;     /* --read-only: every cluster is read-only */
    bool env_auth;          /* the credentials came from ZKTUI_AUTH: every
                               cluster gets them, as at start */
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: zktui [options]            browse a ZooKeeper tree, live\n"
            "       zktui --dump [PATH] [--json]  print a subtree and exit\n"
            "       zktui --locks [PATH] [--json] print the lock queues and exit\n"
            "       zktui --events            stream events as JSON lines until stopped\n"
            "\n"
            "  -s, --server HOSTS        host:port[,host:port...][/chroot] (default 127.0.0.1:2181)\n"
            "      --session-timeout MS  session timeout in milliseconds (default 10000)\n"
            "      --log FILE            the ZooKeeper client's log (default\n"
            "                            $XDG_STATE_HOME/zktui/zktui.log)\n"
            "      --context NAME        the cluster NAME of the config's clusters: (default:\n"
            "                            its context:, else the first)\n"
            "      --config FILE         configuration file (default $ZKTUI_CONFIG, then\n"
            "                            $XDG_CONFIG_HOME/zktui/config.yaml)\n"
            "      --theme NAME|FILE     colour theme (default: default)\n"
            "      --read-only           never send a change (delete ...); says READ-ONLY\n"
            "      --trace FILE          write a timestamped line per key, server message\n"
            "                            and frame drawn to FILE (for measuring)\n"
            "      --dump [PATH]         print the subtree at PATH (default /) as a tree\n"
            "      --json                with --dump: one JSON object per node; with\n"
            "                            --locks: one per lock\n"
            "      --stats               with --dump: nodes, time, nodes/s and the most\n"
            "                            reads in flight, on stderr\n"
            "      --open PATH           start with PATH selected and everything under it\n"
            "                            opened (as * does)\n"
            "      --locks [PATH]        print the lock queues (at or under PATH) once\n"
            "      --events              print session, registry, ensemble and lock events\n"
            "                            as JSON lines until interrupted\n"
            "  -h, --help                this text\n"
            "  -V, --version             the version\n"
            "\n"
            "keys: arrows or hjkl move and open, Enter toggles, PgUp/PgDn, g/G, Tab\n"
            "switches to the detail pane, v cycles the data view, 1 tree, 2/L locks,\n"
            "3/S service registries, 4/E ensemble, 5/O event log, 6/I sessions (d on one\n"
            "deletes all its ephemeral nodes), W saves the log, d deletes\n"
            "the selected node (asking first, with its version), D deletes it with\n"
            "everything under it (its name typed to confirm), c creates one under it,\n"
            "e edits its data in $EDITOR, i edits one line in place, a its ACL, / filters\n"
            "the tree by name, : opens the command line (:locks, :theme NAME, :w FILE,\n"
            ":ctx NAME, :find PATTERN, :help ...), J jumps to a typed path (Tab completes\n"
            "child names), * opens the selected node and everything under it (Esc stops),\n"
            "F finds nodes under it by name (n/N: next/previous result), y copies the\n"
            "selected path and Y its data to the clipboard (OSC 52), q quits.\n"
            "\n"
            "Credentials (digest:user:password) come from the config's auth: list, or\n"
            "$ZKTUI_AUTH (one, or several on separate lines); never from the command line.\n");
}

/* One line on stderr and exit status 2, as for every bad argument. */
__attribute__((format(printf, 1, 2))) static int bad(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "zktui: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

static bool parse_ms(const char *s, int *out)
{
    char *end;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= 0 || v > INT_MAX)
        return false;
    *out = (int)v;
    return true;
}

/* Credentials: ZKTUI_AUTH, when set, instead of the config's auth list;
 * never from the command line, where any user could read them. A config
 * file holding some that others can read is warned about. False (said on
 * stderr) when ZKTUI_AUTH is malformed. */
static bool auth_from_env(struct opts *o, const char *file)
{
    const char *env = getenv("ZKTUI_AUTH");
    char err[256];
    unsigned mode = 0;
    if (file && o->cfg.auth.n > 0 && config_file_exposed(file, &mode))
        fprintf(stderr, "zktui: warning: %s holds credentials and others can read it (mode %04o): "
                        "chmod 600 it\n", file, mode);
    if (env && env[0] && !config_auth_env(&o->cfg, env, err, sizeof err)) {
        fprintf(stderr, "zktui: %s\n", err);
        return false;
    }
    o->env_auth = env && env[0];
    /* Not handed on to $EDITOR or anything else zktui starts. */
    unsetenv("ZKTUI_AUTH");
    return true;
}

enum { OPT_TIMEOUT = 256, OPT_LOG, OPT_CONFIG, OPT_THEME, OPT_DUMP, OPT_JSON, OPT_LOCKS,
       OPT_EVENTS, OPT_READ_ONLY, OPT_CONTEXT, OPT_TRACE, OPT_STATS, OPT_OPEN };

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        { "server", required_argument, NULL, 's' },
        { "session-timeout", required_argument, NULL, OPT_TIMEOUT },
        { "log", required_argument, NULL, OPT_LOG },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "theme", required_argument, NULL, OPT_THEME },
        { "dump", no_argument, NULL, OPT_DUMP },
        { "json", no_argument, NULL, OPT_JSON },
        { "locks", no_argument, NULL, OPT_LOCKS },
        { "events", no_argument, NULL, OPT_EVENTS },
        { "read-only", no_argument, NULL, OPT_READ_ONLY },
        { "context", required_argument, NULL, OPT_CONTEXT },
        { "trace", required_argument, NULL, OPT_TRACE },
        { "stats", no_argument, NULL, OPT_STATS },
        { "open", required_argument, NULL, OPT_OPEN },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *server = NULL, *log = NULL, *theme = NULL;
    bool read_only = false;
    int timeout = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":s:hV", longs, NULL)) != -1) {
        switch (c) {
        case 's': server = optarg; break;
        case OPT_TIMEOUT:
            if (!parse_ms(optarg, &timeout))
                return bad("--session-timeout wants a positive number of milliseconds, not '%s'", optarg);
            break;
        case OPT_LOG: log = optarg; break;
        case OPT_CONFIG: o->config_file = optarg; break;
        case OPT_THEME: theme = optarg; break;
        case OPT_DUMP: o->dump = true; break;
        case OPT_JSON: o->json = true; break;
        case OPT_LOCKS: o->locks = true; break;
        case OPT_EVENTS: o->events = true; break;
        case OPT_READ_ONLY: read_only = true; break;
        case OPT_CONTEXT: o->context = optarg; break;
        case OPT_TRACE: o->trace = optarg; break;
        case OPT_STATS: o->stats = true; break;
        case OPT_OPEN: o->open_path = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("zktui %s\n", ZKTUI_VERSION); return 0;
        case ':': return bad("%s needs a value", argv[optind - 1]);
        default: return bad("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->dump + o->locks + o->events > 1)
        return bad("--dump, --locks and --events go one at a time");
    if (optind < argc && (o->dump || o->locks) && optind + 1 == argc)
        o->dump_path = argv[optind++];
    if (optind < argc)
        return bad("unexpected argument '%s'", argv[optind]);
    if (o->trace && (o->dump || o->locks || o->events))
        return bad("--trace is for the screen, not --dump, --locks or --events");
    if (o->json && !o->dump && !o->locks)
        return bad("%s only goes with --dump or --locks", "--json");
    if (o->stats && !o->dump)
        return bad("%s only goes with --dump", "--stats");
    if (o->open_path && (o->dump || o->locks || o->events))
        return bad("--open is for the interactive view, not with --dump, --locks or --events");
    if (o->open_path && !path_is_valid(o->open_path, NULL))
        return bad("--open: not a valid ZooKeeper path: '%s'", o->open_path);
    if (o->dump_path && !path_is_valid(o->dump_path, NULL))
        return bad("not a valid ZooKeeper path: '%s'", o->dump_path);
    {
        char err[512];
        bool must = false;
        const char *file = config_find(o->config_file, &must);
        if (file && !config_load_context(&o->cfg, file, o->context, err, sizeof err)) {
            fprintf(stderr, "zktui: %s\n", err);
            return 2;
        }
        if (!file && o->context)
            return bad("--context %s: there is no config file with clusters", o->context);
        if (!file && must)
            return bad("no such config file: '%s'", o->config_file ? o->config_file
                                                                   : getenv("ZKTUI_CONFIG"));
        /* Each line a message of its own, as every other one is. */
        for (const char *w = o->cfg.warnings; *w;) {
            size_t n = strcspn(w, "\n");
            fprintf(stderr, "zktui: %.*s\n", (int)n, w);
            w += n + (w[n] == '\n');
        }
        if (!auth_from_env(o, file))
            return 2;
    }
    if (server)
        snprintf(o->cfg.server, sizeof o->cfg.server, "%s", server);
    if (timeout)
        o->cfg.session_timeout_ms = timeout;
    if (read_only)
        o->cfg.read_only = o->cli_read_only = true;
    if (log)
        snprintf(o->cfg.log_file, sizeof o->cfg.log_file, "%s", log);
    if (theme)
        snprintf(o->cfg.theme, sizeof o->cfg.theme, "%s", theme);
    {
        const char *why;
        char err[512];
        if (!connect_string_valid(o->cfg.server, &why))
            return bad("not a server list: '%s': %s", o->cfg.server, why);
        if (o->cfg.ensemble[0] && !connect_string_valid(o->cfg.ensemble, &why))
            return bad("ensemble: not a server list: '%s': %s", o->cfg.ensemble, why);
        if ((o->cfg.tls_ca[0] || o->cfg.tls_cert[0] || o->cfg.tls_key[0]) &&
            !zk_use_tls(o->cfg.tls_ca, o->cfg.tls_cert, o->cfg.tls_key, err, sizeof err)) {
            fprintf(stderr, "zktui: %s\n", err);
            return 2;
        }
    }
    return -1;
}

static void mkdirs(char *dir)
{
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    mkdir(dir, 0700);
}

/* The C client's log: never the terminal. */
static FILE *open_log(const char *file, bool *explicit_failed)
{
    char path[PATH_MAX];
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    FILE *f;
    *explicit_failed = false;
    if (file[0]) {
        if (!(f = fopen(file, "a")))
            *explicit_failed = true;
        return f;
    }
    if (state && state[0])
        snprintf(path, sizeof path, "%s/zktui", state);
    else
        snprintf(path, sizeof path, "%s/.local/state/zktui", home ? home : "/tmp");
    mkdirs(path);
    strncat(path, "/zktui.log", sizeof path - strlen(path) - 1);
    f = fopen(path, "a");
    return f ? f : fopen("/dev/null", "w");
}

/* Pointers into cfg's path lists, as the app takes them. */
struct path_ptrs {
    char *locks[CONFIG_MAX_PATHS];
    char *services[CONFIG_MAX_PATHS];
    struct app_opts opts;
};

static const struct app_opts *app_opts_of(struct config *cfg, bool cli_read_only,
                                          struct path_ptrs *p)
{
    for (int i = 0; i < cfg->locks.n; i++)
        p->locks[i] = cfg->locks.v[i];
    for (int i = 0; i < cfg->services.n; i++)
        p->services[i] = cfg->services.v[i];
    p->opts = (struct app_opts){ p->locks, (size_t)cfg->locks.n, p->services,
                                 (size_t)cfg->services.n, cfg->hold_warn_ms,
                                 (size_t)cfg->event_log_size, cfg->probe_interval_ms,
                                 cfg->read_only, cfg->ensemble, cfg->cluster,
                                 cfg->clusters, cfg->nclusters, cfg->max_children,
                                 cfg->walk_window, cfg->data_cache, cfg->watch_budget,
                                 cli_read_only };
    return &p->opts;
}

/* The theme file for cfg's theme (NULL: the compiled-in default), or
 * false when a theme other than the default cannot be found. */
static bool theme_of(const struct config *cfg, char *path, size_t len, const char **file)
{
    *file = NULL;
    if (theme_find(cfg->theme, path, len))
        *file = path;
    return *file || strcmp(cfg->theme, "default") == 0;
}

/* One session and the app over it. */
struct run {
    struct queue *q;
    struct app a;
    struct path_ptrs po;
    bool up;
};

static bool run_open(struct run *r, struct config *cfg, bool cli_read_only, FILE *log, char *err,
                     size_t errlen)
{
    struct zk *zk;
    memset(r, 0, sizeof *r);
    if (!(r->q = queue_new())) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    if (!(zk = zk_new(r->q, cfg->server, cfg->session_timeout_ms, log, err, errlen))) {
        queue_free(r->q);
        return false;
    }
    for (int i = 0; i < cfg->auth.n; i++)
        if (!zk_add_auth(zk, cfg->auth.v[i])) {
            zk_free(zk);
            queue_free(r->q);
            snprintf(err, errlen, "the ZooKeeper client refused the credentials");
            return false;
        }
    if (!app_init(&r->a, r->q, zk, app_opts_of(cfg, cli_read_only, &r->po))) {
        zk_free(zk);
        app_fini(&r->a);
        queue_free(r->q);
        snprintf(err, errlen, "out of memory");
        return false;
    }
    r->up = true;
    return true;
}

static void run_close(struct run *r)
{
    if (!r->up)
        return;
    /* Stop the client (its session closed: its ephemerals go) before
     * freeing what its callbacks write into. */
    zk_free(r->a.zk);
    app_fini(&r->a);
    queue_free(r->q);
    r->up = false;
}

/* :ctx NAME: the configuration read again for that cluster (the file may
 * have changed: what it says now is what counts), keeping --read-only and
 * --log from the command line. False, with the reason in err, when it
 * cannot be used; the caller then keeps the session it has. */
static bool load_context(const struct opts *o, const char *name, struct config *next,
                         char *err, size_t errlen)
{
    bool must = false;
    const char *file = config_find(o->config_file, &must);
    const char *why;
    config_defaults(next);
    if (!file) {
        snprintf(err, errlen, "the configuration file is gone");
        return false;
    }
    if (!config_load_context(next, file, name, err, errlen)) {
        /* The status line is short and there is one file: its name alone
         * ("config.yaml:10:12: theme: ..."), so that what is wrong shows. */
        const char *base = strrchr(file, '/');
        size_t n = strlen(file);
        if (base && strncmp(err, file, n) == 0 && err[n] == ':')
            memmove(err, err + (base + 1 - file), strlen(err + (base + 1 - file)) + 1);
        return false;
    }
    if (o->cli_read_only)
        next->read_only = true;
    if (!connect_string_valid(next->server, &why)) {
        snprintf(err, errlen, "%s: not a server list: %s", name, why);
        return false;
    }
    /* ZKTUI_AUTH's credentials (gone from the environment since start)
     * stay; a cluster's own from the file are never sent to another. */
    if (o->env_auth)
        next->auth = o->cfg.auth;
    return true;
}

/* The default keys, rebound as the configuration's keys: says; a key
 * moved from one action to another is said on stderr. */
static void bind_keys(const struct config *cfg)
{
    struct keymap m;
    char warn[512];
    keymap_defaults(&m);
    for (int i = 0; i < cfg->nbindings; i++) {
        keymap_bind(&m, (enum action)cfg->bindings[i].action, cfg->bindings[i].keys,
                    (size_t)cfg->bindings[i].n, warn, sizeof warn);
        if (warn[0])
            fprintf(stderr, "zktui: keys: %s\n", warn);
    }
    ui_keymap(&m);
}

static int run_ui(struct opts *o, FILE *log)
{
    static struct config next; /* large: not on the stack */
    struct run r;
    char err[512], theme_path[PATH_MAX];
    const char *theme_file;
    /* The default theme is compiled in too, so a binary without its
     * themes/ still runs; any other theme must be found. The config's was
     * checked as it was loaded, at its line: what fails here is --theme. */
    if (!theme_of(&o->cfg, theme_path, sizeof theme_path, &theme_file))
        return bad("no such theme: '%s'", o->cfg.theme);
    bind_keys(&o->cfg);
    if (o->trace) {
        FILE *t = fopen(o->trace, "w");
        if (!t) {
            fprintf(stderr, "zktui: cannot open the trace file '%s': %s\n", o->trace,
                    strerror(errno));
            return 2;
        }
        setvbuf(t, NULL, _IOFBF, 1 << 16);
        trace_start(t);
    }
    if (!run_open(&r, &o->cfg, o->cli_read_only, log, err, sizeof err)) {
        fprintf(stderr, "zktui: %s\n", err);
        return 2;
    }
    if (o->open_path)
        app_open_at_start(&r.a, o->open_path);
    if (!ui_start(theme_file, err, sizeof err)) {
        run_close(&r);
        fprintf(stderr, "zktui: %s\n", err);
        return 2;
    }
    app_history_load(&r.a);
    for (;;) {
        struct event_log kept;
        char name[64];
        ui_loop(&r.a);
        if (r.a.quit || !r.a.ctx_request[0])
            break;
        snprintf(name, sizeof name, "%s", r.a.ctx_request);
        r.a.ctx_request[0] = '\0';
        err[0] = '\0';
        if (!load_context(o, name, &next, err, sizeof err) ||
            !theme_of(&next, theme_path, sizeof theme_path, &theme_file)) {
            app_error(&r.a, "cluster %s not opened: %s", name,
                      err[0] ? err : "no such theme");
            continue; /* the session we have stays */
        }
        /* The old session closes; the event log and history go on. */
        app_history_save(&r.a);
        kept = r.a.log;
        memset(&r.a.log, 0, sizeof r.a.log);
        run_close(&r);
        o->cfg = next;
        if (!run_open(&r, &o->cfg, o->cli_read_only, log, err, sizeof err)) {
            events_free(&kept);
            ui_stop();
            fprintf(stderr, "zktui: cluster %s: %s\n", name, err);
            return 1;
        }
        events_free(&r.a.log);
        r.a.log = kept;
        app_event(&r.a, EV_SESSION, "switched to cluster %s (%s)", name, o->cfg.server);
        app_history_load(&r.a);
        if (!ui_theme(theme_file, err, sizeof err))
            app_error(&r.a, "theme: %s", err);
    }
    app_history_save(&r.a);
    ui_stop();
    run_close(&r);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = { 0 };
    FILE *log;
    bool log_failed;
    int status;
    setlocale(LC_ALL, "");
    config_defaults(&o.cfg);
    if ((status = parse_args(argc, argv, &o)) >= 0)
        return status;
    log = open_log(o.cfg.log_file, &log_failed);
    if (log_failed) {
        fprintf(stderr, "zktui: cannot open log file '%s': %s\n", o.cfg.log_file, strerror(errno));
        return 2;
    }
    if (o.dump) {
        struct batch_opts b = { o.cfg.server, o.cfg.session_timeout_ms, log,
                                o.dump_path ? o.dump_path : "/", o.json, o.cfg.walk_window,
                                o.stats, &o.cfg.auth };
        status = batch_dump(&b, stdout, stderr);
    } else if (o.locks || o.events) {
        struct path_ptrs po;
        struct follow_opts f = { o.cfg.server, o.cfg.session_timeout_ms, log,
                                 *app_opts_of(&o.cfg, o.cli_read_only, &po), o.dump_path, o.json, &o.cfg.auth };
        status = o.locks ? follow_locks(&f, stdout, stderr) : follow_events(&f, stdout, stderr);
    } else {
        status = run_ui(&o, log);
        trace_stop(); /* also when it stopped early */
    }
    fclose(log);
    return status;
}
