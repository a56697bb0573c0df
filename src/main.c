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
#include "ui/ui.h"

struct opts {
    struct config cfg;
    const char *config_file;
    bool dump;
    bool locks;
    bool events;
    bool json;
    const char *dump_path;  /* --dump's or --locks' PATH */
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
            "      --config FILE         configuration file (default $ZKTUI_CONFIG, then\n"
            "                            $XDG_CONFIG_HOME/zktui/config.yaml)\n"
            "      --theme NAME|FILE     colour theme (default: default)\n"
            "      --read-only           never send a change (delete ...); says READ-ONLY\n"
            "      --dump [PATH]         print the subtree at PATH (default /) as a tree\n"
            "      --json                with --dump: one JSON object per node; with\n"
            "                            --locks: one per lock\n"
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
            "the selected node (asking first, with its version), c creates one under it,\n"
            "e edits its data in "
            "$EDITOR, q quits.\n");
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

enum { OPT_TIMEOUT = 256, OPT_LOG, OPT_CONFIG, OPT_THEME, OPT_DUMP, OPT_JSON, OPT_LOCKS,
       OPT_EVENTS, OPT_READ_ONLY };

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
    if (o->json && !o->dump && !o->locks)
        return bad("%s only goes with --dump or --locks", "--json");
    if (o->dump_path && !path_is_valid(o->dump_path, NULL))
        return bad("not a valid ZooKeeper path: '%s'", o->dump_path);
    {
        char err[512];
        bool must = false;
        const char *file = config_find(o->config_file, &must);
        if (file && !config_load_file(&o->cfg, file, err, sizeof err)) {
            fprintf(stderr, "zktui: %s\n", err);
            return 2;
        }
        if (!file && must)
            return bad("no such config file: '%s'", o->config_file ? o->config_file
                                                                   : getenv("ZKTUI_CONFIG"));
        if (o->cfg.warnings[0])
            fprintf(stderr, "zktui: %s", o->cfg.warnings);
    }
    if (server)
        snprintf(o->cfg.server, sizeof o->cfg.server, "%s", server);
    if (timeout)
        o->cfg.session_timeout_ms = timeout;
    if (read_only)
        o->cfg.read_only = true;
    if (log)
        snprintf(o->cfg.log_file, sizeof o->cfg.log_file, "%s", log);
    if (theme)
        snprintf(o->cfg.theme, sizeof o->cfg.theme, "%s", theme);
    {
        const char *why;
        if (!connect_string_valid(o->cfg.server, &why))
            return bad("not a server list: '%s': %s", o->cfg.server, why);
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

static const struct app_opts *app_opts_of(struct config *cfg, struct path_ptrs *p)
{
    for (int i = 0; i < cfg->locks.n; i++)
        p->locks[i] = cfg->locks.v[i];
    for (int i = 0; i < cfg->services.n; i++)
        p->services[i] = cfg->services.v[i];
    p->opts = (struct app_opts){ p->locks, (size_t)cfg->locks.n, p->services,
                                 (size_t)cfg->services.n, cfg->hold_warn_ms,
                                 (size_t)cfg->event_log_size, cfg->probe_interval_ms,
                                 cfg->read_only };
    return &p->opts;
}

static int run_ui(struct opts *o, FILE *log)
{
    struct path_ptrs po;
    struct queue *q = queue_new();
    struct app a;
    struct zk *zk;
    char err[512], theme_path[PATH_MAX];
    const char *theme_file = NULL;
    bool ok;
    /* The default theme is compiled in too, so a binary without its
     * themes/ still runs; any other theme must be found. */
    if (theme_find(o->cfg.theme, theme_path, sizeof theme_path))
        theme_file = theme_path;
    else if (strcmp(o->cfg.theme, "default") != 0) {
        queue_free(q);
        return bad("no such theme: '%s'", o->cfg.theme);
    }
    if (!q) {
        fprintf(stderr, "zktui: out of memory\n");
        return 1;
    }
    zk = zk_new(q, o->cfg.server, o->cfg.session_timeout_ms, log, err, sizeof err);
    if (!zk) {
        queue_free(q);
        fprintf(stderr, "zktui: %s\n", err);
        return 2;
    }
    if (!app_init(&a, q, zk, app_opts_of(&o->cfg, &po))) {
        fprintf(stderr, "zktui: out of memory\n");
        return 1;
    }
    ok = ui_run(&a, theme_file, err, sizeof err);
    /* Stop the client before freeing what its callbacks write into. */
    zk_free(a.zk);
    app_fini(&a);
    queue_free(q);
    if (!ok) {
        fprintf(stderr, "zktui: %s\n", err);
        return 2;
    }
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
                                o.dump_path ? o.dump_path : "/", o.json, 512 };
        status = batch_dump(&b, stdout, stderr);
    } else if (o.locks || o.events) {
        struct path_ptrs po;
        struct follow_opts f = { o.cfg.server, o.cfg.session_timeout_ms, log,
                                 *app_opts_of(&o.cfg, &po), o.dump_path, o.json };
        status = o.locks ? follow_locks(&f, stdout, stderr) : follow_events(&f, stdout, stderr);
    } else {
        status = run_ui(&o, log);
    }
    fclose(log);
    return status;
}
