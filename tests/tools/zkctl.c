/* zkctl: a small ZooKeeper client for the test scripts and the demo.
 *
 *   zkctl [-s HOSTS] [-t MS] [-a SCHEME:CRED]... create [-e] [-s] PATH [DATA]
 *         set PATH DATA [VERSION] | get PATH | delete PATH [VERSION]
 *         rmr PATH | ls PATH | exists PATH
 *         getacl PATH         the ACL in zkCli's form, then "aversion N"
 *         setacl PATH ACL [AVERSION]   ACL in zkCli's form (a password in a
 *                             digest entry is hashed)
 *         batch               commands from stdin, one a line, run as read
 *         seed N PATH [M]     N children PATH/c00000.., pipelined; with M,
 *                             each with M children d00000.. (a tree)
 *         locks PATH N HOLD_MS [ROUNDS]   N contenders taking a lock in turn
 *
 * Arguments may hold \xHH, \n, \t and \\ escapes; in batch, "" is an empty
 * argument. The client's own log never reaches the terminal (ZKCTL_LOG
 * names a file for it). Exit 1 on a ZooKeeper error, 2 on bad usage. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zookeeper/zookeeper.h>

#include "model/acl.h"
#include "../../bench/zkconn.h"

#define MAX_DATA (1024 * 1024)
#define MAX_ARGS 8
#define SEED_WINDOW 1000

static const char *hosts = "127.0.0.1:2181";
static const char *auths[8]; /* -a: credentials, sent on connecting */
static int nauths;
static int timeout_ms = 10000;
static volatile sig_atomic_t stopping;

/* ---- connecting ---------------------------------------------------------- */

/* A connected handle, or NULL after saying why. conn must outlive the
 * handle. */
static zhandle_t *connect_zk(struct zkconn *conn)
{
    return zkconn_open(conn, "zkctl", hosts, timeout_ms, timeout_ms, auths, nauths);
}

/* ---- arguments ------------------------------------------------------------- */

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes the escapes of s in place; returns the byte length. */
static size_t unescape(char *s)
{
    char *out = s;
    const char *in = s;

    while (*in) {
        if (in[0] == '\\' && in[1] == 'x' && hex_digit(in[2]) >= 0 && hex_digit(in[3]) >= 0) {
            *out++ = (char)(hex_digit(in[2]) * 16 + hex_digit(in[3]));
            in += 4;
        } else if (in[0] == '\\' && (in[1] == 'n' || in[1] == 't' || in[1] == '\\')) {
            *out++ = in[1] == 'n' ? '\n' : in[1] == 't' ? '\t' : '\\';
            in += 2;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("zkctl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (try zkctl help)\n", stderr);
    return 2;
}

static int zk_error(const char *path, int rc)
{
    fprintf(stderr, "zkctl: %s: %s\n", path, zerror(rc));
    return 1;
}

/* ---- the simple commands --------------------------------------------------- */

/* Each takes the words after the command name and unescaped arguments. */
struct cmd {
    const char *name;
    int min, max; /* argument counts */
    int (*run)(zhandle_t *zh, int argc, char **argv, size_t *lens);
};

static int cmd_create(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    int flags = 0, i = 0, rc;
    char made[4096];

    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "-e") == 0)
            flags |= ZOO_EPHEMERAL;
        else if (strcmp(argv[i], "-s") == 0)
            flags |= ZOO_SEQUENCE;
        else
            return usage_error("create: unknown flag '%s'", argv[i]);
    }
    if (argc - i < 1 || argc - i > 2)
        return usage_error("create [-e] [-s] PATH [DATA]");
    rc = zoo_create(zh, argv[i], argc - i == 2 ? argv[i + 1] : NULL,
                    argc - i == 2 ? (int)lens[i + 1] : -1, &ZOO_OPEN_ACL_UNSAFE, flags, made,
                    sizeof made);
    if (rc != ZOK)
        return zk_error(argv[i], rc);
    printf("%s\n", made);
    return 0;
}

static int cmd_set(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    long version = -1;
    int rc;

    if (argc == 3 && !parse_int(argv[2], -1, 0x7fffffff, &version))
        return usage_error("set: not a version: '%s'", argv[2]);
    rc = zoo_set(zh, argv[0], argv[1], (int)lens[1], (int)version);
    return rc == ZOK ? 0 : zk_error(argv[0], rc);
}

static int cmd_get(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    static char buf[MAX_DATA];
    int len = sizeof buf, rc;
    (void)argc;
    (void)lens;

    rc = zoo_get(zh, argv[0], 0, buf, &len, NULL);
    if (rc != ZOK)
        return zk_error(argv[0], rc);
    if (len > 0)
        fwrite(buf, 1, (size_t)len, stdout);
    return 0;
}

static int cmd_delete(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    long version = -1;
    int rc;
    (void)lens;

    if (argc == 2 && !parse_int(argv[1], -1, 0x7fffffff, &version))
        return usage_error("delete: not a version: '%s'", argv[1]);
    rc = zoo_delete(zh, argv[0], (int)version);
    return rc == ZOK ? 0 : zk_error(argv[0], rc);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_ls(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    struct String_vector kids = {0};
    int rc;
    (void)argc;
    (void)lens;

    rc = zoo_get_children(zh, argv[0], 0, &kids);
    if (rc != ZOK)
        return zk_error(argv[0], rc);
    qsort(kids.data, (size_t)kids.count, sizeof *kids.data, by_name);
    for (int i = 0; i < kids.count; i++)
        printf("%s\n", kids.data[i]);
    deallocate_String_vector(&kids);
    return 0;
}

static int cmd_getacl(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    struct ACL_vector acl = {0};
    struct strbuf b = {0};
    struct Stat st;
    int rc;
    (void)argc;
    (void)lens;

    rc = zoo_get_acl(zh, argv[0], &acl, &st);
    if (rc != ZOK)
        return zk_error(argv[0], rc);
    for (int i = 0; i < acl.count; i++) {
        struct acl_entry e = {acl.data[i].perms, acl.data[i].id.scheme, acl.data[i].id.id};
        acl_format(&e, 1, &b);
        if (i + 1 < acl.count)
            sb_addc(&b, ',');
    }
    printf("%s\naversion %d\n", sb_str(&b), st.aversion);
    sb_free(&b);
    deallocate_ACL_vector(&acl);
    return 0;
}

static int cmd_setacl(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    struct acl_list l;
    struct ACL_vector acl;
    long version = -1;
    char why[256];
    int rc;
    (void)lens;

    if (argc == 3 && !parse_int(argv[2], -1, 0x7fffffff, &version))
        return usage_error("setacl: not a version: '%s'", argv[2]);
    if (!acl_parse(argv[1], &l, why, sizeof why))
        return usage_error("setacl: %s", why);
    acl.count = l.n;
    acl.data = calloc((size_t)l.n, sizeof *acl.data);
    for (int i = 0; acl.data && i < l.n; i++) {
        acl.data[i].perms = l.v[i].perms;
        acl.data[i].id.scheme = l.v[i].scheme;
        acl.data[i].id.id = l.v[i].id;
    }
    rc = acl.data ? zoo_set_acl(zh, argv[0], (int)version, &acl) : ZSYSTEMERROR;
    free(acl.data);
    acl_list_free(&l);
    return rc == ZOK ? 0 : zk_error(argv[0], rc);
}

static int cmd_exists(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    struct Stat st;
    int rc;
    (void)argc;
    (void)lens;

    rc = zoo_exists(zh, argv[0], 0, &st);
    if (rc == ZOK)
        return 0;
    return rc == ZNONODE ? 1 : zk_error(argv[0], rc);
}

/* Deletes path and everything under it, children first. */
static int delete_tree(zhandle_t *zh, const char *path)
{
    struct String_vector kids = {0};
    int rc = zoo_get_children(zh, path, 0, &kids);

    if (rc == ZNONODE)
        return ZOK;
    if (rc != ZOK)
        return rc;
    for (int i = 0; i < kids.count && rc == ZOK; i++) {
        size_t n = strlen(path) + strlen(kids.data[i]) + 2;
        char *kid = malloc(n);
        if (!kid) {
            rc = ZSYSTEMERROR;
            break;
        }
        snprintf(kid, n, "%s/%s", strcmp(path, "/") == 0 ? "" : path, kids.data[i]);
        rc = delete_tree(zh, kid);
        free(kid);
    }
    deallocate_String_vector(&kids);
    if (rc == ZOK && strcmp(path, "/") != 0) {
        rc = zoo_delete(zh, path, -1);
        if (rc == ZNONODE)
            rc = ZOK;
    }
    return rc;
}

static int cmd_rmr(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    int rc = delete_tree(zh, argv[0]);
    (void)argc;
    (void)lens;
    return rc == ZOK ? 0 : zk_error(argv[0], rc);
}

/* ---- seed: many children, pipelined ---------------------------------------- */

struct seed {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long outstanding;
    int first_error;
};

static void seed_done(int rc, const char *value, const void *data)
{
    struct seed *s = (struct seed *)data;
    (void)value;
    pthread_mutex_lock(&s->mu);
    if (rc != ZOK && rc != ZNODEEXISTS && s->first_error == ZOK)
        s->first_error = rc;
    s->outstanding--;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* One pipelined create, waiting while the window is full. */
static int seed_one(zhandle_t *zh, struct seed *s, const char *kid)
{
    int rc;
    pthread_mutex_lock(&s->mu);
    while (s->outstanding >= SEED_WINDOW)
        pthread_cond_wait(&s->cv, &s->mu);
    s->outstanding++;
    pthread_mutex_unlock(&s->mu);
    rc = zoo_acreate(zh, kid, "x", 1, &ZOO_OPEN_ACL_UNSAFE, 0, seed_done, s);
    if (rc != ZOK) {
        pthread_mutex_lock(&s->mu);
        s->outstanding--;
        if (s->first_error == ZOK)
            s->first_error = rc;
        pthread_mutex_unlock(&s->mu);
    }
    return rc;
}

static int cmd_seed(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    struct seed s = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, ZOK};
    const char *path = argv[1];
    long n, m = 0;
    int rc = ZOK;
    (void)lens;

    if (!parse_int(argv[0], 0, 10000000, &n))
        return usage_error("seed: not a count: '%s'", argv[0]);
    if (argc > 2 && !parse_int(argv[2], 0, 10000000, &m))
        return usage_error("seed: not a count: '%s'", argv[2]);
    rc = zoo_create(zh, path, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);
    if (rc != ZOK && rc != ZNODEEXISTS)
        return zk_error(path, rc);
    rc = ZOK;
    /* One session applies its requests in order: a parent is made before
     * its children. */
    for (long i = 0; i < n && rc == ZOK; i++) {
        char kid[4096];
        snprintf(kid, sizeof kid, "%s/c%05ld", path, i);
        rc = seed_one(zh, &s, kid);
        for (long j = 0; j < m && rc == ZOK; j++) {
            char leaf[4200];
            snprintf(leaf, sizeof leaf, "%s/d%05ld", kid, j);
            rc = seed_one(zh, &s, leaf);
        }
    }
    pthread_mutex_lock(&s.mu);
    while (s.outstanding > 0)
        pthread_cond_wait(&s.cv, &s.mu);
    pthread_mutex_unlock(&s.mu);
    /* A create the client refused (rc) still waits above: the callbacks
     * point at s. */
    if (s.first_error != ZOK)
        return zk_error(path, s.first_error);
    printf("seeded %ld\n", n + n * m);
    return 0;
}

/* ---- locks: contenders taking a lock in turn ---------------------------------- */

struct contender {
    int id;
    const char *root;
    long hold_ms, rounds;
    pthread_t thread;
    int rc;
};

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !stopping)
        ;
}

static long long seq_of(const char *name)
{
    size_t n = strlen(name);
    return n >= 10 ? atoll(name + n - 10) : -1;
}

/* Waits until our node is the lowest: the classic recipe, each waiter
 * watching only its predecessor. Returns ZOK holding, or an error. */
static int acquire(zhandle_t *zh, const char *root, const char *mine)
{
    long long my_seq = seq_of(mine);

    while (!stopping) {
        struct String_vector kids = {0};
        const char *pred = NULL;
        long long pred_seq = -1;
        char pred_path[4096];
        struct Stat st;
        int rc = zoo_get_children(zh, root, 0, &kids);

        if (rc != ZOK)
            return rc;
        for (int i = 0; i < kids.count; i++) {
            long long q = seq_of(kids.data[i]);
            if (q < my_seq && q > pred_seq) {
                pred_seq = q;
                pred = kids.data[i];
            }
        }
        if (!pred) {
            deallocate_String_vector(&kids);
            return ZOK;
        }
        snprintf(pred_path, sizeof pred_path, "%s/%s", root, pred);
        deallocate_String_vector(&kids);
        /* Polling the predecessor every 20 ms keeps this tool simple; the
         * demo needs contention, not the last millisecond. */
        while (!stopping && (rc = zoo_exists(zh, pred_path, 0, &st)) == ZOK)
            sleep_ms(20);
        if (rc != ZOK && rc != ZNONODE)
            return rc;
    }
    return ZOPERATIONTIMEOUT;
}

static void *contend(void *arg)
{
    struct contender *c = arg;
    struct zkconn conn;
    zhandle_t *zh = connect_zk(&conn);
    char prefix[4096], data[32];
    unsigned seed = (unsigned)c->id * 7919u + (unsigned)time(NULL);

    if (!zh) {
        c->rc = ZCONNECTIONLOSS;
        return NULL;
    }
    snprintf(prefix, sizeof prefix, "%s/lock-", c->root);
    snprintf(data, sizeof data, "contender-%d", c->id);
    for (long round = 0; !stopping && (c->rounds == 0 || round < c->rounds); round++) {
        char mine[4096];
        int rc = zoo_create(zh, prefix, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE,
                            ZOO_EPHEMERAL | ZOO_SEQUENCE, mine, sizeof mine);
        if (rc == ZOK)
            rc = acquire(zh, c->root, mine);
        if (rc != ZOK) {
            c->rc = rc;
            break;
        }
        if (stopping)
            break;
        printf("contender %d holds %s\n", c->id, strrchr(mine, '/') + 1);
        fflush(stdout);
        sleep_ms(c->hold_ms);
        zoo_delete(zh, mine, -1);
        sleep_ms(c->hold_ms ? (long)(rand_r(&seed) % (unsigned)c->hold_ms) : 0);
    }
    zookeeper_close(zh);
    return NULL;
}

static void on_stop(int sig)
{
    (void)sig;
    stopping = 1;
}

static int run_locks(int argc, char **argv)
{
    long n, hold, rounds = 0;
    struct contender *cs;
    struct sigaction sa;
    struct zkconn conn;
    zhandle_t *zh;
    int rc, status = 0;

    if (argc < 3 || argc > 4 || !parse_int(argv[1], 1, 1000, &n) ||
        !parse_int(argv[2], 0, 3600000, &hold) ||
        (argc == 4 && !parse_int(argv[3], 0, 1000000000, &rounds)))
        return usage_error("locks PATH CONTENDERS HOLD_MS [ROUNDS]");
    zh = connect_zk(&conn);
    if (!zh)
        return 1;
    rc = zoo_create(zh, argv[0], NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);
    zookeeper_close(zh);
    if (rc != ZOK && rc != ZNODEEXISTS)
        return zk_error(argv[0], rc);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    cs = calloc((size_t)n, sizeof *cs);
    if (!cs)
        return 1;
    for (long i = 0; i < n; i++) {
        cs[i] = (struct contender){.id = (int)i + 1, .root = argv[0], .hold_ms = hold, .rounds = rounds};
        if (pthread_create(&cs[i].thread, NULL, contend, &cs[i]) != 0) {
            n = i;
            stopping = 1;
            status = 1;
            break;
        }
    }
    for (long i = 0; i < n; i++) {
        pthread_join(cs[i].thread, NULL);
        if (cs[i].rc != ZOK) {
            fprintf(stderr, "zkctl: contender %d: %s\n", cs[i].id, zerror(cs[i].rc));
            status = 1;
        }
    }
    free(cs);
    return status;
}

/* ---- dispatch ------------------------------------------------------------------ */

static int cmd_batch(zhandle_t *zh, int argc, char **argv, size_t *lens);

static const struct cmd cmds[] = {
    {"create", 1, 4, cmd_create}, {"set", 2, 3, cmd_set},   {"get", 1, 1, cmd_get},
    {"delete", 1, 2, cmd_delete}, {"rmr", 1, 1, cmd_rmr},   {"ls", 1, 1, cmd_ls},
    {"exists", 1, 1, cmd_exists}, {"seed", 2, 3, cmd_seed}, {"batch", 0, 0, cmd_batch},
    {"getacl", 1, 1, cmd_getacl}, {"setacl", 2, 3, cmd_setacl},
};

static int run(zhandle_t *zh, int argc, char **argv)
{
    size_t lens[MAX_ARGS];

    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        if (strcmp(argv[0], cmds[i].name) != 0)
            continue;
        if (argc - 1 < cmds[i].min || argc - 1 > cmds[i].max || argc - 1 > MAX_ARGS)
            return usage_error("%s: wrong number of arguments", argv[0]);
        for (int k = 1; k < argc; k++)
            lens[k - 1] = unescape(argv[k]);
        return cmds[i].run(zh, argc - 1, argv + 1, lens);
    }
    return usage_error("unknown command '%s'", argv[0]);
}

/* Splits line into words in place: spaces separate, "..." groups (and ""
 * is an empty word). Returns the count, or -1 when there are too many. */
static int split(char *line, char **words)
{
    int n = 0;
    char *p = line;

    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '\n')
            return n;
        if (n == MAX_ARGS + 1)
            return -1;
        if (*p == '"') {
            char *end = strchr(p + 1, '"');
            if (!end)
                return -1;
            *end = '\0';
            words[n++] = p + 1;
            p = end + 1;
        } else {
            words[n++] = p;
            while (*p && *p != ' ' && *p != '\t' && *p != '\n')
                p++;
            if (*p)
                *p++ = '\0';
        }
    }
}

static int cmd_batch(zhandle_t *zh, int argc, char **argv, size_t *lens)
{
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    int rc = 0;
    (void)argc;
    (void)argv;
    (void)lens;

    while (getline(&line, &cap, stdin) != -1) {
        char *words[MAX_ARGS + 1];
        int n;
        lineno++;
        if (line[0] == '#')
            continue;
        n = split(line, words);
        if (n == 0)
            continue;
        if (n < 0) {
            rc = usage_error("line %ld: cannot split it into arguments", lineno);
            break;
        }
        if (strcmp(words[0], "batch") == 0) {
            rc = usage_error("line %ld: batch inside batch", lineno);
            break;
        }
        rc = run(zh, n, words);
        fflush(stdout);
        if (rc != 0) {
            fprintf(stderr, "zkctl: stopped at line %ld\n", lineno);
            break;
        }
    }
    free(line);
    return rc;
}

static void usage(void)
{
    puts("usage: zkctl [-s HOST:PORT[,...][/chroot]] [-t SESSION_TIMEOUT_MS]\n"
         "             [-a SCHEME:CREDENTIAL]... COMMAND ARGS\n"
         "  create [-e] [-s] PATH [DATA]   set PATH DATA [VERSION]   get PATH\n"
         "  delete PATH [VERSION]   rmr PATH   ls PATH   exists PATH\n"
         "  getacl PATH   setacl PATH ACL [AVERSION]   (ACL: world:anyone:cdrwa,...)\n"
         "  batch   (commands from stdin)   seed N PATH [M]\n"
         "  locks PATH CONTENDERS HOLD_MS [ROUNDS]\n"
         "Arguments may use \\xHH \\n \\t \\\\ escapes.");
}

int main(int argc, char **argv)
{
    const char *logfile = getenv("ZKCTL_LOG");
    FILE *log = fopen(logfile && *logfile ? logfile : "/dev/null", "a");
    struct zkconn conn;
    zhandle_t *zh;
    int i = 1, rc;
    long t;

    for (; i < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        }
        if (i + 1 >= argc)
            return usage_error("%s needs a value", argv[i]);
        if (strcmp(argv[i], "-s") == 0)
            hosts = argv[i + 1];
        else if (strcmp(argv[i], "-t") == 0 && parse_int(argv[i + 1], 1, 3600000, &t))
            timeout_ms = (int)t;
        else if (strcmp(argv[i], "-a") == 0 && nauths < 8 && strchr(argv[i + 1], ':'))
            auths[nauths++] = argv[i + 1];
        else
            return usage_error("bad option '%s'", argv[i]);
    }
    if (i >= argc)
        return usage_error("no command");
    if (strcmp(argv[i], "help") == 0) {
        usage();
        return 0;
    }
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    if (log)
        zoo_set_log_stream(log);
    if (strcmp(argv[i], "locks") == 0)
        return run_locks(argc - i - 1, argv + i + 1);
    zh = connect_zk(&conn);
    if (!zh)
        return 1;
    rc = run(zh, argc - i, argv + i);
    zookeeper_close(zh);
    if (log)
        fclose(log);
    return rc;
}
