/* Every change an operator can make through zktui, against a real server
 * (ZK_HOST in the environment), driven the way the keys drive it: app_act
 * for d, D, c, e and i, app_prompt_key for each key typed into a question,
 * app_edit_done for what the editor saved. The queue is pumped as the UI
 * loop pumps it. A second, plain C client plays "another client", changing
 * things between the question and the answer, and reads back what the
 * server holds afterwards.
 *
 * For each change: the server's state, the sentence in the status bar,
 * the event log, and the audit line in zktui's log file. Read-only mode
 * sends nothing; a lost connection says so. Each test has its own session,
 * log file and base node (/mut-PID-N). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>
#include <zookeeper/zookeeper.h>

#include "ui/app.h"

#include "itest.h"

#define WAIT_MS 10000 /* the longest any one thing may take */
#define KEY_ESC 27
#define KEY_ERASE 127

/* A formatted string that lives for the next 15 calls: enough for one
 * assertion's arguments. */
static const char *say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *say(const char *fmt, ...)
{
    static char ring[16][1024];
    static unsigned next;
    char *s = ring[next++ % 16];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof ring[0], fmt, ap);
    va_end(ap);
    return s;
}

/* ---- a line that can be cut: a TCP proxy in a thread -------------------- */

#define PROXY_PAIRS 8

struct proxy {
    int listen_fd;
    int wake[2];
    int port, target;
    int fds[PROXY_PAIRS][2]; /* client side, server side; -1: free */
    pthread_t thread;
    pthread_mutex_t mu;
    bool cut, stop; /* under mu */
};

static int connect_local(int port)
{
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s >= 0 && connect(s, (struct sockaddr *)&sin, sizeof sin) != 0) {
        close(s);
        return -1;
    }
    return s;
}

static void proxy_close_pair(struct proxy *p, int i)
{
    for (int side = 0; side < 2; side++)
        if (p->fds[i][side] >= 0) {
            close(p->fds[i][side]);
            p->fds[i][side] = -1;
        }
}

static bool send_all(int fd, const char *buf, ssize_t len)
{
    while (len > 0) {
        ssize_t k = send(fd, buf, (size_t)len, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        buf += k;
        len -= k;
    }
    return true;
}

/* Relays bytes both ways; cut, it closes every connection and each new
 * one as it arrives, while the server behind stays up. */
static void *proxy_run(void *arg)
{
    struct proxy *p = arg;
    for (;;) {
        struct pollfd fds[2 + 2 * PROXY_PAIRS];
        int pair_of[2 + 2 * PROXY_PAIRS];
        nfds_t n = 2;
        bool cut, stop;
        pthread_mutex_lock(&p->mu);
        cut = p->cut;
        stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        fds[0] = (struct pollfd){ p->listen_fd, POLLIN, 0 };
        fds[1] = (struct pollfd){ p->wake[0], POLLIN, 0 };
        for (int i = 0; i < PROXY_PAIRS; i++) {
            if (cut)
                proxy_close_pair(p, i);
            for (int side = 0; side < 2 && p->fds[i][0] >= 0; side++) {
                fds[n] = (struct pollfd){ p->fds[i][side], POLLIN, 0 };
                pair_of[n++] = i * 2 + side;
            }
        }
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents & POLLIN) {
            char c;
            (void)!read(p->wake[0], &c, 1);
        }
        if (fds[0].revents & POLLIN) {
            int c = accept(p->listen_fd, NULL, NULL), s = -1, slot = -1;
            for (int i = 0; i < PROXY_PAIRS && slot < 0; i++)
                if (p->fds[i][0] < 0)
                    slot = i;
            if (c >= 0 && !cut && slot >= 0 && (s = connect_local(p->target)) >= 0) {
                p->fds[slot][0] = c;
                p->fds[slot][1] = s;
            } else if (c >= 0)
                close(c);
        }
        for (nfds_t k = 2; k < n; k++) {
            int i = pair_of[k] / 2, side = pair_of[k] % 2;
            char buf[65536];
            ssize_t got;
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)) || p->fds[i][side] < 0)
                continue;
            got = read(p->fds[i][side], buf, sizeof buf);
            if (got <= 0 || !send_all(p->fds[i][!side], buf, got))
                proxy_close_pair(p, i);
        }
    }
    for (int i = 0; i < PROXY_PAIRS; i++)
        proxy_close_pair(p, i);
    return NULL;
}

static void proxy_set(struct proxy *p, bool *flag, bool on)
{
    pthread_mutex_lock(&p->mu);
    *flag = on;
    pthread_mutex_unlock(&p->mu);
    (void)!write(p->wake[1], "x", 1);
}

static struct proxy *proxy_start(int target)
{
    struct proxy *p = calloc(1, sizeof *p);
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof sin;
    if (!p)
        return NULL;
    memset(p->fds, -1, sizeof p->fds);
    pthread_mutex_init(&p->mu, NULL);
    p->target = target;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
        listen(p->listen_fd, 8) != 0 ||
        getsockname(p->listen_fd, (struct sockaddr *)&sin, &len) != 0 || pipe(p->wake) != 0 ||
        pthread_create(&p->thread, NULL, proxy_run, p) != 0) {
        if (p->listen_fd >= 0)
            close(p->listen_fd);
        free(p);
        return NULL;
    }
    p->port = ntohs(sin.sin_port);
    return p;
}

static void proxy_stop(struct proxy *p)
{
    proxy_set(p, &p->stop, true);
    pthread_join(p->thread, NULL);
    close(p->listen_fd);
    close(p->wake[0]);
    close(p->wake[1]);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* ---- the fixture: zktui's app and session, another client, a log file -- */

struct paths {
    char **v;
    size_t n, cap;
};

static void paths_add(struct paths *p, const char *path)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        assert_non_null(p->v);
    }
    p->v[p->n++] = strdup(path);
}

static void paths_free(struct paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}

enum how { PLAIN, READ_ONLY, VIA_PROXY, NO_SERVER };

struct fx {
    struct queue *q;
    struct zk *zk; /* NULL once close_zktui ran */
    struct app a;
    char hosts[64];      /* what zktui connects to */
    zhandle_t *other;    /* another client, straight to the server */
    struct proxy *proxy; /* VIA_PROXY: between zktui and the server */
    FILE *log;           /* zktui's log: the audit lines */
    char dir[256];       /* the log and the editor's files */
    char log_path[300];
    char files[4][300];
    int nfiles;
    char base[64];        /* this test's node */
    char restricted[300]; /* a node given a narrow ACL: opened again at the end */
    struct paths owned;   /* what at() returned */
};

/* What the UI loop does, minus curses: apply what came, then what drawing a
 * frame does first (rebuild the rows, keeping the cursor). */
static void pump(struct fx *f, int ms)
{
    struct pollfd p = { queue_fd(f->q), POLLIN, 0 };
    if (poll(&p, 1, ms) > 0)
        app_drain(&f->a);
    app_sync_rows(&f->a);
}

/* Pumps until cond holds, for at most WAIT_MS; fails the test otherwise,
 * with the status bar and the question shown. */
#define WAIT_FOR(f, cond)                                                                          \
    do {                                                                                           \
        long long until_ = now_ms() + WAIT_MS;                                                     \
        while (!(cond) && now_ms() < until_)                                                       \
            pump((f), 20);                                                                         \
        if (!(cond))                                                                               \
            fail_msg("waited %d ms for %s\n  error: %s\n  info: %s\n  question: %s | %s", WAIT_MS, \
                     #cond, (f)->a.error, (f)->a.info, (f)->a.prompt.detail, (f)->a.prompt.text);  \
    } while (0)

static bool connected(const struct fx *f)
{
    return f->a.state == CONN_CONNECTED;
}

/* Nothing asked of the server is still unanswered. */
static bool settled(const struct fx *f)
{
    return f->zk && zk_in_flight(f->zk) == 0;
}

static bool said_error(const struct fx *f, const char *want)
{
    return strcmp(f->a.error, want) == 0;
}

static bool said_info(const struct fx *f, const char *want)
{
    return strcmp(f->a.info, want) == 0;
}

static bool asking(const struct fx *f, enum prompt_kind kind)
{
    return f->a.prompt.kind == kind;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A path under this test's base node, kept until the test ends. */
static const char *at(struct fx *f, const char *rel)
{
    paths_add(&f->owned, say("%s/%s", f->base, rel));
    return f->owned.v[f->owned.n - 1];
}

/* Keys typed while a question is up ('\n' is Enter). */
static void type(struct fx *f, const char *keys)
{
    for (const unsigned char *k = (const unsigned char *)keys; *k; k++)
        app_prompt_key(&f->a, *k);
}

static void key(struct fx *f, int k)
{
    app_prompt_key(&f->a, k);
}

static bool is_row(const struct fx *f, const char *path)
{
    const struct node *n = store_get(f->a.store, path);
    return n && n->row < f->a.rows.n && f->a.rows.v[n->row] == n;
}

static bool selected_and_read(const struct fx *f, const char *path)
{
    const struct node *n = store_get(f->a.store, path);
    return n && f->a.selected && strcmp(f->a.selected, path) == 0 && (n->flags & NODE_HAS_STAT) &&
           (n->flags & NODE_HAS_DATA);
}

/* Moves the cursor to path as the operator does: up or down the rows to
 * each ancestor, opening it (→), then waits until the node's data and stat
 * are read and nothing else is in flight. */
static void go_to(struct fx *f, const char *path)
{
    size_t len = 1;
    /* A node just created is selected when it shows: let it, first. */
    WAIT_FOR(f, f->a.select_after == NULL);
    for (;;) {
        char *want = strndup(path, len);
        long long until = now_ms() + WAIT_MS;
        WAIT_FOR(f, is_row(f, want));
        while (strcmp(f->a.selected, want) != 0 && now_ms() < until) {
            const struct node *n = store_get(f->a.store, want);
            if (n && is_row(f, want) && n->row != f->a.cursor)
                app_act(&f->a, n->row > f->a.cursor ? ACT_DOWN : ACT_UP);
            else
                pump(f, 20);
        }
        assert_string_equal(f->a.selected, want);
        free(want);
        if (path[len] == '\0')
            break;
        if (!(store_get(f->a.store, f->a.selected)->flags & NODE_EXPANDED))
            app_act(&f->a, ACT_EXPAND);
        const char *slash = strchr(path + len + (len > 1), '/');
        len = slash ? (size_t)(slash - path) : strlen(path);
    }
    WAIT_FOR(f, selected_and_read(f, path));
    WAIT_FOR(f, settled(f));
}

/* ---- the other client --------------------------------------------------- */

static void other_create(struct fx *f, const char *path, const char *data, int flags)
{
    int rc = zoo_create(f->other, path, data, data ? (int)strlen(data) : -1, &ZOO_OPEN_ACL_UNSAFE,
                        flags, NULL, 0);
    if (rc != ZOK)
        fail_msg("the other client could not create %s: %s", path, zerror(rc));
}

static void other_set(struct fx *f, const char *path, const char *data)
{
    int rc = zoo_set(f->other, path, data, (int)strlen(data), -1);
    if (rc != ZOK)
        fail_msg("the other client could not set %s: %s", path, zerror(rc));
}

static void other_delete(struct fx *f, const char *path)
{
    int rc = zoo_delete(f->other, path, -1);
    if (rc != ZOK)
        fail_msg("the other client could not delete %s: %s", path, zerror(rc));
}

/* Gives world:anyone perms on path, whatever its ACL version. */
static void other_set_acl(struct fx *f, const char *path, int perms)
{
    struct ACL one[] = { { perms, ZOO_ANYONE_ID_UNSAFE } };
    struct ACL_vector acl = { 1, one };
    int rc = zoo_set_acl(f->other, path, -1, &acl);
    if (rc != ZOK)
        fail_msg("the other client could not set the ACL of %s: %s", path, zerror(rc));
}

/* The perms world:anyone has on path (-1: the ACL is something else), and
 * the ACL's version. */
static int anyone_perms(struct fx *f, const char *path, int *aversion)
{
    struct ACL_vector acl = { 0, NULL };
    struct Stat st;
    int perms = -1;
    assert_int_equal(zoo_get_acl(f->other, path, &acl, &st), ZOK);
    if (acl.count == 1 && strcmp(acl.data[0].id.scheme, "world") == 0 &&
        strcmp(acl.data[0].id.id, "anyone") == 0)
        perms = acl.data[0].perms;
    deallocate_ACL_vector(&acl);
    *aversion = st.aversion;
    return perms;
}

static bool on_server(struct fx *f, const char *path)
{
    return zoo_exists(f->other, path, 0, NULL) == ZOK;
}

static struct Stat stat_of(struct fx *f, const char *path)
{
    struct Stat st;
    memset(&st, 0, sizeof st);
    if (zoo_exists(f->other, path, 0, &st) != ZOK)
        fail_msg("%s is not on the server", path);
    return st;
}

/* The node's data on the server, as a string (NULL: no such node). */
static const char *data_on_server(struct fx *f, const char *path)
{
    static char buf[2][4096];
    static unsigned next;
    char *b = buf[next++ % 2];
    int len = (int)sizeof buf[0] - 1;
    if (zoo_get(f->other, path, 0, b, &len, NULL) != ZOK)
        return NULL;
    b[len < 0 ? 0 : len] = '\0';
    return b;
}

static int kids_on_server(struct fx *f, const char *path)
{
    return stat_of(f, path).numChildren;
}

/* Creates (or, with del, deletes) the paths in transactions of up to 1,000,
 * in order; when a delete transaction fails, one by one. */
static int other_many(struct fx *f, char *const *paths, size_t n, bool del)
{
    static char scratch[1000][8]; /* created names, not needed */
    zoo_op_t *ops = calloc(1000, sizeof *ops);
    zoo_op_result_t *res = calloc(1000, sizeof *res);
    int rc = ZOK;
    for (size_t done = 0; rc == ZOK && done < n;) {
        int k = n - done < 1000 ? (int)(n - done) : 1000;
        for (int i = 0; i < k; i++) {
            if (del)
                zoo_delete_op_init(&ops[i], paths[done + i], -1);
            else
                zoo_create_op_init(&ops[i], paths[done + i], "", 0, &ZOO_OPEN_ACL_UNSAFE, 0,
                                   scratch[i], sizeof scratch[i]);
        }
        rc = zoo_multi(f->other, k, ops, res);
        if (rc != ZOK && del) {
            for (int i = 0; i < k; i++)
                zoo_delete(f->other, paths[done + i], -1);
            rc = ZOK;
        }
        done += (size_t)k;
    }
    free(ops);
    free(res);
    return rc;
}

/* rel, with groups children g00.. each holding kids leaves k000..: a
 * subtree of 1 + groups * (1 + kids) nodes, made by the other client. */
static void seed_tree(struct fx *f, const char *rel, int groups, int kids)
{
    struct paths p = { 0 };
    paths_add(&p, at(f, rel));
    for (int g = 0; g < groups; g++) {
        paths_add(&p, say("%s/%s/g%02d", f->base, rel, g));
        for (int k = 0; k < kids; k++)
            paths_add(&p, say("%s/%s/g%02d/k%03d", f->base, rel, g, k));
    }
    assert_int_equal(other_many(f, p.v, p.n, false), ZOK);
    paths_free(&p);
}

/* Deletes top and everything under it, whatever is there. */
static void rm_tree(struct fx *f, const char *top)
{
    struct paths p = { 0 }, rev = { 0 };
    if (!on_server(f, top))
        return;
    paths_add(&p, top);
    /* Breadth first: each node after its parent. */
    for (size_t i = 0; i < p.n; i++) {
        struct String_vector kids = { 0, NULL };
        if (zoo_get_children(f->other, p.v[i], 0, &kids) != ZOK)
            continue;
        for (int32_t k = 0; k < kids.count; k++)
            paths_add(&p, say("%s/%s", p.v[i], kids.data[k]));
        deallocate_String_vector(&kids);
    }
    for (size_t i = p.n; i-- > 0;)
        paths_add(&rev, p.v[i]);
    other_many(f, rev.v, rev.n, true);
    paths_free(&p);
    paths_free(&rev);
}

/* ---- what zktui said: the event log and the audit lines ----------------- */

static bool has_event(const struct fx *f, enum event_kind kind, const char *text)
{
    for (size_t i = 0; i < f->a.log.n; i++) {
        const struct event *e = events_get(&f->a.log, i);
        if (e->kind == kind && strcmp(e->text, text) == 0)
            return true;
    }
    return false;
}

/* Every error the status bar shows is an event too. */
static void assert_error_logged(const struct fx *f)
{
    if (!has_event(f, EV_ERROR, f->a.error))
        fail_msg("not in the event log: %s", f->a.error);
}

/* The audit lines of the log file, in order, from "cluster=" on. */
struct audit {
    char *text;
    char **line;
    size_t n;
};

static void audit_read(const struct fx *f, struct audit *au)
{
    FILE *in = fopen(f->log_path, "r");
    size_t cap = 0, len = 0;
    char *s;
    memset(au, 0, sizeof *au);
    assert_non_null(in);
    for (;;) {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 65536;
            au->text = realloc(au->text, cap);
            assert_non_null(au->text);
        }
        size_t got = fread(au->text + len, 1, cap - len - 1, in);
        len += got;
        if (got == 0)
            break;
    }
    fclose(in);
    au->text[len] = '\0';
    cap = 0;
    for (char *line = au->text; line && *line; line = s) {
        char *mark;
        if ((s = strchr(line, '\n')))
            *s++ = '\0';
        if (!(mark = strstr(line, " AUDIT cluster=")))
            continue;
        if (au->n == cap) {
            cap = cap ? cap * 2 : 64;
            au->line = realloc(au->line, cap * sizeof *au->line);
            assert_non_null(au->line);
        }
        au->line[au->n++] = mark + strlen(" AUDIT ");
    }
}

static void audit_free(struct audit *au)
{
    free(au->text);
    free(au->line);
}

static const char *audit_want(const struct fx *f, const char *action, const char *path, int version,
                              const char *result)
{
    return say("cluster=%s action=%s path=%s version=%d result=%s", f->hosts, action, path, version,
               result);
}

/* How many audit lines say exactly this. */
static size_t audit_count(const struct fx *f, const char *action, const char *path, int version,
                          const char *result)
{
    struct audit au;
    const char *want = audit_want(f, action, path, version, result);
    size_t n = 0;
    audit_read(f, &au);
    for (size_t i = 0; i < au.n; i++)
        n += strcmp(au.line[i], want) == 0;
    if (n == 0) {
        print_message("no audit line '%s' among %zu:\n", want, au.n);
        for (size_t i = 0; i < au.n && i < 20; i++)
            print_message("  %s\n", au.line[i]);
    }
    audit_free(&au);
    return n;
}

static size_t audit_total(const struct fx *f)
{
    struct audit au;
    size_t n;
    audit_read(f, &au);
    n = au.n;
    audit_free(&au);
    return n;
}

/* ---- the editor's files -------------------------------------------------- */

/* A file holding text, as the editor leaves it. */
static const char *file_with(struct fx *f, const char *text, size_t len)
{
    char *name;
    FILE *out;
    assert_true(f->nfiles < 4);
    name = f->files[f->nfiles++];
    snprintf(name, sizeof f->files[0], "%s/zktui-edit-%d", f->dir, f->nfiles);
    assert_non_null(out = fopen(name, "w"));
    assert_int_equal(fwrite(text, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
    return name;
}

static bool file_exists(const char *name)
{
    struct stat st;
    return stat(name, &st) == 0;
}

/* What ui.c does when the editor exits: the text goes to app_edit_done,
 * and the file is removed when it is not needed. The file's name. */
static const char *editor_saves(struct fx *f, const char *text)
{
    const char *file = file_with(f, text, strlen(text));
    assert_non_null(f->a.edit.path);
    assert_false(f->a.edit.in_prompt);
    if (!app_edit_done(&f->a, text, strlen(text), file))
        unlink(file);
    return file;
}

/* ---- setting up and tearing down ---------------------------------------- */

/* A port nothing listens on. */
static int closed_port(void)
{
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof sin;
    int s = socket(AF_INET, SOCK_STREAM, 0), port = 1;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s >= 0 && bind(s, (struct sockaddr *)&sin, sizeof sin) == 0 &&
        getsockname(s, (struct sockaddr *)&sin, &len) == 0)
        port = ntohs(sin.sin_port);
    if (s >= 0)
        close(s);
    return port;
}

static int fx_open(void **state, enum how how)
{
    static int serial;
    struct fx *f = calloc(1, sizeof *f);
    struct app_opts opts = { .read_only = how == READ_ONLY, .read_only_cli = how == READ_ONLY };
    const char *tmp = getenv("TMPDIR"), *colon = strrchr(host(), ':');
    char err[256];
    long long until;
    if (!f || !colon)
        return -1;
    *state = f;
    snprintf(f->dir, sizeof f->dir, "%s/zktui-mut-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->log_path, sizeof f->log_path, "%s/zktui.log", f->dir);
    if (!(f->log = fopen(f->log_path, "w")))
        return -1;
    zoo_set_log_stream(f->log);
    if (how == VIA_PROXY && !(f->proxy = proxy_start(atoi(colon + 1))))
        return -1;
    if (how == VIA_PROXY)
        snprintf(f->hosts, sizeof f->hosts, "127.0.0.1:%d", f->proxy->port);
    else if (how == NO_SERVER)
        snprintf(f->hosts, sizeof f->hosts, "127.0.0.1:%d", closed_port());
    else
        snprintf(f->hosts, sizeof f->hosts, "%s", host());
    snprintf(f->base, sizeof f->base, "/mut-%ld-%d", (long)getpid(), ++serial);
    if (!(f->q = queue_new()) || !(f->zk = zk_new(f->q, f->hosts, 10000, f->log, err, sizeof err)))
        return -1;
    if (!app_init(&f->a, f->q, f->zk, &opts))
        return -1;
    f->other = zookeeper_init(host(), NULL, 10000, NULL, NULL, 0);
    if (!f->other)
        return -1;
    until = now_ms() + WAIT_MS;
    while (zoo_state(f->other) != ZOO_CONNECTED_STATE && now_ms() < until)
        usleep(10000);
    if (zoo_create(f->other, f->base, "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0) != ZOK)
        return -1;
    while (how != NO_SERVER && !connected(f) && now_ms() < until)
        pump(f, 20);
    return how == NO_SERVER || connected(f) ? 0 : -1;
}

static int setup(void **state)
{
    return fx_open(state, PLAIN);
}

static int setup_read_only(void **state)
{
    return fx_open(state, READ_ONLY);
}

static int setup_via_proxy(void **state)
{
    return fx_open(state, VIA_PROXY);
}

static int setup_no_server(void **state)
{
    return fx_open(state, NO_SERVER);
}

/* Closes zktui's session (its ephemerals go with it), once what it asked
 * is answered: the C client drops (and leaks) the completions of requests
 * still in flight when it closes. */
static void close_zktui(struct fx *f)
{
    long long until = now_ms() + WAIT_MS;
    while (connected(f) && !settled(f) && now_ms() < until)
        pump(f, 20);
    zk_free(f->zk);
    f->zk = NULL;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (!f)
        return 0;
    if (f->zk)
        close_zktui(f);
    if (f->q) {
        app_fini(&f->a);
        queue_free(f->q);
    }
    if (f->other) {
        if (f->restricted[0])
            zoo_set_acl(f->other, f->restricted, -1, &ZOO_OPEN_ACL_UNSAFE);
        rm_tree(f, f->base);
        zookeeper_close(f->other);
    }
    if (f->proxy)
        proxy_stop(f->proxy);
    zoo_set_log_stream(NULL);
    if (f->log)
        fclose(f->log);
    for (int i = 0; i < f->nfiles; i++)
        unlink(f->files[i]);
    unlink(f->log_path);
    rmdir(f->dir);
    paths_free(&f->owned);
    free(f);
    return 0;
}

/* ======================================================================== */
/* d: delete one node, with the version the question showed                 */
/* ======================================================================== */

static void test_d_deletes_the_node_with_the_version_it_asked_about(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "a", 0);
    other_set(f, x, "b");
    other_set(f, x, "c"); /* version 2 */
    go_to(f, x);

    app_act(&f->a, ACT_DELETE);
    assert_true(asking(f, PROMPT_DELETE));
    assert_string_equal(f->a.prompt.text, say("Delete %s?   y: delete   n: keep", x));
    assert_string_equal(f->a.prompt.detail, "version 2, no children");
    key(f, 'y');
    assert_true(asking(f, PROMPT_NONE));
    WAIT_FOR(f, said_info(f, say("deleted %s (version 2)", x)));

    assert_false(on_server(f, x));
    assert_string_equal(f->a.error, "");
    assert_true(has_event(f, EV_CHANGE, say("deleted %s (version 2)", x)));
    assert_int_equal(audit_count(f, "delete", x, 2, "ok"), 1);
    assert_int_equal(zk_writes_sent(f->zk), 1);
}

static void test_d_refuses_a_node_another_client_changed_after_the_question(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "mine", 0);
    go_to(f, x);
    app_act(&f->a, ACT_DELETE);
    assert_int_equal(f->a.prompt.version, 0);

    other_set(f, x, "theirs");
    /* zktui sees the new version; the answer still goes with the one asked
     * about. */
    WAIT_FOR(f, store_get(f->a.store, x)->stat.version == 1);
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("%s not deleted: it changed since you looked", x)));

    assert_string_equal(data_on_server(f, x), "theirs");
    assert_error_logged(f);
    assert_int_equal(audit_count(f, "delete", x, 0, zk_strerror(ZBADVERSION)), 1);
}

static void test_d_refuses_a_node_another_client_gave_a_child_after_the_question(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *kid = at(f, "x/kid");
    other_create(f, x, "", 0);
    go_to(f, x);
    app_act(&f->a, ACT_DELETE);
    assert_true(asking(f, PROMPT_DELETE));

    other_create(f, kid, "", 0);
    WAIT_FOR(f, store_get(f->a.store, kid) != NULL);
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("%s not deleted: it has children now", x)));

    assert_true(on_server(f, x));
    assert_true(on_server(f, kid));
    assert_error_logged(f);
    assert_int_equal(audit_count(f, "delete", x, 0, zk_strerror(ZNOTEMPTY)), 1);
}

static void test_d_says_gone_when_another_client_deleted_it_first(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "", 0);
    go_to(f, x);
    app_act(&f->a, ACT_DELETE);
    assert_true(asking(f, PROMPT_DELETE));

    other_delete(f, x);
    WAIT_FOR(f, store_get(f->a.store, x) == NULL);
    assert_true(asking(f, PROMPT_DELETE)); /* the question stays */
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("%s not deleted: it is gone already", x)));

    assert_error_logged(f);
    assert_int_equal(audit_count(f, "delete", x, 0, zk_strerror(ZNONODE)), 1);
}

static void test_d_answered_n_esc_or_q_sends_nothing(void **state)
{
    struct fx *f = *state;
    const int answers[] = { 'n', 'N', KEY_ESC, 'q' };
    const char *x = at(f, "x");
    other_create(f, x, "", 0);
    go_to(f, x);
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        app_act(&f->a, ACT_DELETE);
        key(f, 'x'); /* not an answer: the question waits */
        key(f, '\n');
        assert_true(asking(f, PROMPT_DELETE));
        key(f, answers[i]);
        assert_true(asking(f, PROMPT_NONE));
        assert_string_equal(f->a.info, "nothing changed");
    }
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_true(on_server(f, x));
    assert_int_equal(audit_total(f), 0);
}

static void test_d_refuses_the_root_and_a_node_with_children_before_sending(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "", 0);
    other_create(f, at(f, "x/a"), "", 0);
    other_create(f, at(f, "x/b"), "", 0);
    go_to(f, x);
    app_act(&f->a, ACT_DELETE);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.error,
                        say("%s has 2 children: D deletes it with everything under it", x));
    assert_error_logged(f);

    go_to(f, "/");
    app_act(&f->a, ACT_DELETE);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.error, "the root cannot be deleted");
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_int_equal(audit_total(f), 0);
}

/* The other client makes parent (and kid under it), then leaves everyone
 * (zktui included) only the rights to read parent and to set its ACL (so
 * that the test can clean up). */
static void restrict_to_reading(struct fx *f, const char *parent, const char *kid)
{
    other_create(f, parent, "v1", 0);
    if (kid)
        other_create(f, kid, "", 0);
    other_set_acl(f, parent, ZOO_PERM_READ | ZOO_PERM_ADMIN);
    snprintf(f->restricted, sizeof f->restricted, "%s", parent);
}

static void test_d_without_the_right_to_delete_says_no_access(void **state)
{
    struct fx *f = *state;
    const char *ro = at(f, "ro"), *kid = at(f, "ro/kid");
    restrict_to_reading(f, ro, kid);
    go_to(f, kid);
    app_act(&f->a, ACT_DELETE);
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("%s not deleted: not allowed: with no credentials, zktui lacks "
                                  "DELETE permission on %s, the parent (NOAUTH)",
                                  kid, ro)));
    assert_true(on_server(f, kid));
    assert_error_logged(f);
    assert_int_equal(audit_count(f, "delete", kid, 0, zk_strerror(ZNOAUTH)), 1);
}

/* ======================================================================== */
/* D: a node and everything under it                                        */
/* ======================================================================== */

/* D on path: waits for the count, checks what it says will go. */
static void D_counted(struct fx *f, const char *path, const char *what)
{
    go_to(f, path);
    app_act(&f->a, ACT_RDELETE);
    WAIT_FOR(f, asking(f, PROMPT_RDELETE));
    assert_string_equal(f->a.prompt.detail,
                        say("Delete %s and everything under it: %s. Type its name to confirm   "
                            "Esc: cancel",
                            path, what));
}

/* t: t/a/b/c, t/d (version 2) and t/e (an ephemeral of the other client). */
static void seed_small_tree(struct fx *f)
{
    other_create(f, at(f, "t"), "", 0);
    other_create(f, at(f, "t/a"), "", 0);
    other_create(f, at(f, "t/a/b"), "", 0);
    other_create(f, at(f, "t/a/b/c"), "", 0);
    other_create(f, at(f, "t/d"), "", 0);
    other_set(f, at(f, "t/d"), "1");
    other_set(f, at(f, "t/d"), "2");
    other_create(f, at(f, "t/e"), "", ZOO_EPHEMERAL);
}

static void test_D_deletes_a_subtree_deepest_first_one_audit_line_per_node(void **state)
{
    struct fx *f = *state;
    const char *order[] = { "t/a/b/c", "t/a/b", "t/a", "t/d", "t/e", "t" };
    const int versions[] = { 0, 0, 0, 2, 0, 0 };
    struct audit au;
    seed_small_tree(f);
    D_counted(f, at(f, "t"), "6 nodes (1 ephemeral), 4 levels deep");
    assert_int_equal(zk_writes_sent(f->zk), 0); /* counting reads only */
    type(f, "t\n");
    WAIT_FOR(f, said_info(f, say("deleted %s and everything under it (6 nodes)", at(f, "t"))));

    assert_false(on_server(f, at(f, "t")));
    assert_int_equal(kids_on_server(f, f->base), 0);
    assert_true(
        has_event(f, EV_CHANGE, say("deleted %s and everything under it (6 nodes)", at(f, "t"))));
    assert_int_equal(zk_writes_sent(f->zk), 1); /* one transaction */
    audit_read(f, &au);
    assert_int_equal(au.n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(au.line[i],
                            audit_want(f, "delete", at(f, order[i]), versions[i], "ok"));
    audit_free(&au);
}

static void test_D_with_a_wrong_name_typed_deletes_nothing(void **state)
{
    struct fx *f = *state;
    seed_small_tree(f);
    D_counted(f, at(f, "t"), "6 nodes (1 ephemeral), 4 levels deep");
    type(f, "a\n"); /* a name under it, not its own */
    assert_true(asking(f, PROMPT_RDELETE));
    assert_string_equal(f->a.prompt.detail,
                        "That is not its name: type t exactly, or Esc to cancel");
    type(f, "\x7fT\n"); /* erased, and T typed: not t either */
    assert_true(asking(f, PROMPT_RDELETE));
    key(f, KEY_ESC);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.info, "nothing changed");

    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_int_equal(kids_on_server(f, at(f, "t")), 3);
    assert_true(on_server(f, at(f, "t/a/b/c")));
    assert_int_equal(audit_total(f), 0);
}

static void test_D_stops_at_a_node_changed_after_the_count(void **state)
{
    struct fx *f = *state;
    seed_small_tree(f);
    D_counted(f, at(f, "t"), "6 nodes (1 ephemeral), 4 levels deep");
    other_set(f, at(f, "t/d"), "3");
    type(f, "t\n");
    WAIT_FOR(f, said_error(f, say("stopped at %s: it changed since it was read; 0 of 6 deleted "
                                  "(%s and everything under it)",
                                  at(f, "t/d"), at(f, "t"))));
    assert_error_logged(f);
    /* One transaction: all of it or none. */
    assert_true(on_server(f, at(f, "t/a/b/c")));
    assert_string_equal(data_on_server(f, at(f, "t/d")), "3");
    assert_int_equal(audit_count(f, "delete", at(f, "t/d"), 2, zk_strerror(ZBADVERSION)), 1);
    assert_int_equal(
        audit_count(f, "delete", at(f, "t/a/b/c"), 0, "not deleted (its transaction failed)"), 1);
    assert_int_equal(audit_total(f), 6);
}

static void test_D_stops_at_a_node_another_client_deleted_after_the_count(void **state)
{
    struct fx *f = *state;
    seed_small_tree(f);
    D_counted(f, at(f, "t"), "6 nodes (1 ephemeral), 4 levels deep");
    other_delete(f, at(f, "t/a/b/c"));
    type(f, "t\n");
    WAIT_FOR(f, said_error(f, say("stopped at %s: someone else deleted it meanwhile; 0 of 6 "
                                  "deleted (%s and everything under it)",
                                  at(f, "t/a/b/c"), at(f, "t"))));
    assert_true(on_server(f, at(f, "t/a/b")));
    assert_int_equal(audit_count(f, "delete", at(f, "t/a/b/c"), 0, zk_strerror(ZNONODE)), 1);
}

static void test_D_without_the_right_to_delete_stops_and_says_which(void **state)
{
    struct fx *f = *state;
    const char *ro = at(f, "ro"), *kid = at(f, "ro/kid");
    restrict_to_reading(f, ro, kid);
    D_counted(f, ro, "2 nodes (0 ephemeral), 2 levels deep");
    type(f, "ro\n");
    WAIT_FOR(f, said_error(f, say("stopped at %s: not allowed: with no credentials, zktui lacks "
                                  "DELETE permission on %s, the parent (NOAUTH); 0 of 2 deleted "
                                  "(%s and everything under it)",
                                  kid, ro, ro)));
    assert_error_logged(f);
    assert_true(on_server(f, kid));
    assert_int_equal(audit_count(f, "delete", kid, 0, zk_strerror(ZNOAUTH)), 1);
    assert_int_equal(audit_count(f, "delete", ro, 0, "not deleted (its transaction failed)"), 1);
}

/* t with 21 groups of 100 leaves: 2,122 nodes, deleted leaves first in
 * three transactions: g00-g09's leaves, g10-g19's, then g20's with the
 * groups and t. */
#define BIG_GROUPS 21
#define BIG_KIDS 100
#define BIG_NODES (1 + BIG_GROUPS * (1 + BIG_KIDS))

static void test_D_deletes_more_than_a_thousand_nodes_in_several_transactions(void **state)
{
    struct fx *f = *state;
    struct audit au;
    size_t ok = 0;
    seed_tree(f, "t", BIG_GROUPS, BIG_KIDS);
    D_counted(f, at(f, "t"), "2122 nodes (0 ephemeral), 3 levels deep");
    type(f, "t\n");
    WAIT_FOR(f, said_info(f, say("deleted %s and everything under it (2122 nodes)", at(f, "t"))));

    assert_false(on_server(f, at(f, "t")));
    assert_int_equal(zk_writes_sent(f->zk), 3);
    audit_read(f, &au);
    assert_int_equal(au.n, BIG_NODES);
    for (size_t i = 0; i < au.n; i++)
        ok += ends_with(au.line[i], " result=ok");
    assert_int_equal(ok, BIG_NODES);
    assert_string_equal(au.line[0], audit_want(f, "delete", at(f, "t/g00/k000"), 0, "ok"));
    assert_string_equal(au.line[BIG_NODES - 1], audit_want(f, "delete", at(f, "t"), 0, "ok"));
    audit_free(&au);
}

static void test_D_stops_at_a_child_added_after_the_count_and_tries_nothing_after(void **state)
{
    struct fx *f = *state;
    const char *leaf = at(f, "t/g15/k050");
    struct audit au;
    size_t ok = 0, failed_with_it = 0;
    seed_tree(f, "t", BIG_GROUPS, BIG_KIDS);
    D_counted(f, at(f, "t"), "2122 nodes (0 ephemeral), 3 levels deep");
    /* A leaf of the second transaction gets a child. */
    other_create(f, at(f, "t/g15/k050/new"), "", 0);
    type(f, "t\n");
    WAIT_FOR(f, said_error(f, say("stopped at %s: a child was added since the count; 1000 of "
                                  "2122 deleted (%s and everything under it)",
                                  leaf, at(f, "t"))));
    assert_error_logged(f);
    WAIT_FOR(f, settled(f));

    /* The first transaction went; the second did not; the third was never
     * sent. */
    assert_int_equal(zk_writes_sent(f->zk), 2);
    for (int g = 0; g < 10; g++)
        assert_int_equal(kids_on_server(f, say("%s/t/g%02d", f->base, g)), 0);
    for (int g = 10; g < BIG_GROUPS; g++)
        assert_int_equal(kids_on_server(f, say("%s/t/g%02d", f->base, g)), BIG_KIDS);
    assert_int_equal(kids_on_server(f, at(f, "t")), BIG_GROUPS);

    audit_read(f, &au);
    assert_int_equal(au.n, 2000);
    for (size_t i = 0; i < au.n; i++) {
        ok += ends_with(au.line[i], " result=ok");
        failed_with_it += ends_with(au.line[i], " result=not deleted (its transaction failed)");
        assert_null(strstr(au.line[i], "/t/g20/"));
    }
    audit_free(&au);
    assert_int_equal(ok, 1000);
    assert_int_equal(failed_with_it, 999);
    assert_int_equal(audit_count(f, "delete", leaf, 0, zk_strerror(ZNOTEMPTY)), 1);
}

static void test_D_cancelled_while_counting_sends_nothing_and_counts_afresh(void **state)
{
    struct fx *f = *state;
    seed_tree(f, "t", BIG_GROUPS, BIG_KIDS);
    go_to(f, at(f, "t"));
    app_act(&f->a, ACT_RDELETE);
    /* Not pumped: the count cannot be done, its answers still to come. */
    assert_true(asking(f, PROMPT_RDELETE_COUNT));
    type(f, "t\n"); /* nothing to type into yet */
    assert_true(asking(f, PROMPT_RDELETE_COUNT));
    key(f, KEY_ESC);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.info, "nothing changed");

    /* The cancelled count's late answers are not mixed into a new one. */
    app_act(&f->a, ACT_RDELETE);
    WAIT_FOR(f, asking(f, PROMPT_RDELETE));
    assert_true(strstr(f->a.prompt.detail, ": 2122 nodes (0 ephemeral), 3 levels deep.") != NULL);
    key(f, KEY_ESC);
    WAIT_FOR(f, settled(f));
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_int_equal(kids_on_server(f, at(f, "t")), BIG_GROUPS);
    assert_int_equal(audit_total(f), 0);
}

static void test_D_refuses_the_root_and_zookeeper(void **state)
{
    struct fx *f = *state;
    go_to(f, "/");
    app_act(&f->a, ACT_RDELETE);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.error, "the root cannot be deleted");

    go_to(f, "/zookeeper");
    app_act(&f->a, ACT_RDELETE);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.error, "/zookeeper belongs to the server and cannot be deleted");
    assert_error_logged(f);

    go_to(f, "/zookeeper/quota");
    app_act(&f->a, ACT_RDELETE);
    assert_string_equal(f->a.error, "/zookeeper/quota belongs to the server and cannot be deleted");
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_true(on_server(f, "/zookeeper/quota"));
}

/* ======================================================================== */
/* c: create                                                                */
/* ======================================================================== */

/* c under the node selected: name, mode key, TTL (for t and T), data. */
static void c_types(struct fx *f, const char *name, int mode, const char *ttl, const char *data)
{
    app_act(&f->a, ACT_CREATE);
    assert_true(asking(f, PROMPT_CREATE_NAME));
    type(f, name);
    type(f, "\n");
    assert_true(asking(f, PROMPT_CREATE_MODE));
    key(f, mode);
    if (ttl) {
        assert_true(asking(f, PROMPT_CREATE_TTL));
        type(f, ttl);
        type(f, "\n");
    }
    assert_true(asking(f, PROMPT_CREATE_DATA));
    type(f, data);
    type(f, "\n");
    assert_true(asking(f, PROMPT_NONE));
}

static bool created(const struct fx *f)
{
    return starts_with(f->a.info, "created ");
}

/* The path made, from "created PATH" (a sequential node's number on it). */
static const char *made(const struct fx *f)
{
    return f->a.info + strlen("created ");
}

static void test_c_creates_a_persistent_node_with_its_data_and_selects_it(void **state)
{
    struct fx *f = *state;
    const char *p = at(f, "p");
    go_to(f, f->base);
    c_types(f, "p", 'p', NULL, "hello world");
    assert_string_equal(f->a.info, say("creating %s (persistent)...", p));
    WAIT_FOR(f, said_info(f, say("created %s", p)));

    assert_string_equal(data_on_server(f, p), "hello world");
    assert_int_equal(stat_of(f, p).ephemeralOwner, 0);
    assert_true(has_event(f, EV_CHANGE, say("created %s", p)));
    assert_int_equal(audit_count(f, "create", p, -1, "ok"), 1);
    /* The new node is selected, its parent opened for it. */
    WAIT_FOR(f, f->a.selected && strcmp(f->a.selected, p) == 0);
}

static void test_c_takes_a_full_path_anywhere(void **state)
{
    struct fx *f = *state;
    const char *p = at(f, "elsewhere");
    go_to(f, "/zookeeper");
    c_types(f, p, 'p', NULL, "");
    WAIT_FOR(f, said_info(f, say("created %s", p)));
    assert_string_equal(data_on_server(f, p), "");
    assert_int_equal(audit_count(f, "create", p, -1, "ok"), 1);
}

static void test_c_creates_an_ephemeral_that_lives_with_zktuis_session(void **state)
{
    struct fx *f = *state;
    const char *e = at(f, "e");
    int64_t session;
    go_to(f, f->base);
    c_types(f, "e", 'e', NULL, "");
    WAIT_FOR(f, said_info(f, say("created %s", e)));
    session = zk_session_id(f->zk);
    assert_true(session != 0);
    assert_true(stat_of(f, e).ephemeralOwner == session);
    assert_int_equal(audit_count(f, "create", e, -1, "ok"), 1);

    close_zktui(f);
    /* The server drops it as it closes the session. */
    for (long long until = now_ms() + WAIT_MS; on_server(f, e) && now_ms() < until;)
        usleep(10000);
    assert_false(on_server(f, e));
}

static void test_c_creates_sequential_nodes_with_their_number(void **state)
{
    struct fx *f = *state;
    const char *prefix = at(f, "seq-");
    char first[256];
    go_to(f, f->base);
    c_types(f, "seq-", 's', NULL, "1");
    assert_string_equal(f->a.info, say("creating %s (persistent sequential)...", prefix));
    WAIT_FOR(f, created(f));
    snprintf(first, sizeof first, "%s", made(f));
    assert_true(starts_with(first, prefix));
    assert_int_equal(strlen(first), strlen(prefix) + 10);
    assert_string_equal(data_on_server(f, first), "1");
    assert_int_equal(stat_of(f, first).ephemeralOwner, 0);
    assert_true(has_event(f, EV_CHANGE, say("created %s", first)));
    /* The audit line names the path asked for; the event, the one made. */
    assert_int_equal(audit_count(f, "create", prefix, -1, "ok"), 1);

    WAIT_FOR(f, f->a.selected && strcmp(f->a.selected, first) == 0);
    go_to(f, f->base);
    c_types(f, "seq-", 'S', NULL, "2");
    assert_string_equal(f->a.info, say("creating %s (ephemeral sequential)...", prefix));
    WAIT_FOR(f, created(f));
    assert_true(starts_with(made(f), prefix));
    assert_true(strcmp(made(f), first) > 0);
    assert_true(stat_of(f, made(f)).ephemeralOwner == zk_session_id(f->zk));
    assert_int_equal(audit_count(f, "create", prefix, -1, "ok"), 2);
}

static void test_c_creates_a_container_and_ttl_nodes(void **state)
{
    struct fx *f = *state;
    go_to(f, f->base);
    c_types(f, "box", 'c', NULL, "");
    assert_string_equal(f->a.info, say("creating %s (container)...", at(f, "box")));
    WAIT_FOR(f, said_info(f, say("created %s", at(f, "box"))));
    assert_true(on_server(f, at(f, "box")));
    assert_int_equal(audit_count(f, "create", at(f, "box"), -1, "ok"), 1);

    /* The server shows neither kind to clients; what was sent is the
     * mode named and the TTL read. */
    go_to(f, f->base);
    app_act(&f->a, ACT_CREATE);
    type(f, "ttl\n");
    key(f, 't');
    type(f, "1h30m\n");
    assert_true(asking(f, PROMPT_CREATE_DATA));
    assert_true(starts_with(f->a.prompt.detail, say("Create %s (TTL, 1h30m)", at(f, "ttl"))));
    type(f, "x\n");
    assert_string_equal(f->a.info, say("creating %s (TTL)...", at(f, "ttl")));
    assert_true(f->a.create.ttl_ms == 90 * 60 * 1000);
    WAIT_FOR(f, said_info(f, say("created %s", at(f, "ttl"))));
    assert_string_equal(data_on_server(f, at(f, "ttl")), "x");

    go_to(f, f->base);
    c_types(f, "tseq-", 'T', "10m", "");
    assert_string_equal(f->a.info, say("creating %s (TTL sequential)...", at(f, "tseq-")));
    WAIT_FOR(f, created(f));
    assert_true(starts_with(made(f), at(f, "tseq-")));
    assert_true(on_server(f, made(f)));
    assert_int_equal(audit_count(f, "create", at(f, "tseq-"), -1, "ok"), 1);
    assert_int_equal(zk_writes_sent(f->zk), 3);
}

static void test_c_refuses_a_bad_ttl_before_sending(void **state)
{
    struct fx *f = *state;
    /* Not a duration, zero, or past the server's 40 bits of ms. */
    const char *bad[] = { "abc", "0s", "10x", "1h-5m", "", "100000d" };
    go_to(f, f->base);
    app_act(&f->a, ACT_CREATE);
    type(f, "ttl\n");
    key(f, 't');
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        type(f, bad[i]);
        type(f, "\n");
        assert_true(asking(f, PROMPT_CREATE_TTL));
        assert_true(starts_with(f->a.prompt.detail, "not a duration: "));
        while (f->a.prompt.ilen > 0)
            key(f, KEY_ERASE);
    }
    key(f, KEY_ESC);
    assert_string_equal(f->a.info, "nothing changed");
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_false(on_server(f, at(f, "ttl")));
}

static void test_c_says_when_the_node_exists(void **state)
{
    struct fx *f = *state;
    const char *dup = at(f, "dup");
    other_create(f, dup, "theirs", 0);
    go_to(f, f->base);
    c_types(f, "dup", 'p', NULL, "mine");
    WAIT_FOR(f, said_error(f, say("%s not created: it exists already", dup)));
    assert_string_equal(data_on_server(f, dup), "theirs");
    assert_error_logged(f);
    assert_int_equal(audit_count(f, "create", dup, -1, zk_strerror(ZNODEEXISTS)), 1);
}

static void test_c_offers_missing_parents_and_n_makes_nothing(void **state)
{
    struct fx *f = *state;
    const char *leaf = at(f, "m1/m2/leaf");
    go_to(f, f->base);
    c_types(f, "m1/m2/leaf", 'p', NULL, "x");
    WAIT_FOR(f, asking(f, PROMPT_CREATE_PARENTS));
    assert_string_equal(f->a.prompt.detail,
                        say("%s not created: its parent %s does not exist", leaf, at(f, "m1/m2")));
    assert_string_equal(f->a.prompt.text,
                        "y: create the missing parents (persistent, empty), then it   n: nothing");
    key(f, 'n');
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.info, "nothing changed");
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 1); /* the create that found no parent */
    assert_false(on_server(f, at(f, "m1")));
    assert_int_equal(audit_count(f, "create", leaf, -1, zk_strerror(ZNONODE)), 1);
    assert_int_equal(audit_total(f), 1);
}

static void test_c_offers_missing_parents_and_y_makes_them_then_the_node(void **state)
{
    struct fx *f = *state;
    const char *leaf = at(f, "m1/m2/leaf");
    go_to(f, f->base);
    c_types(f, "m1/m2/leaf", 'p', NULL, "x");
    WAIT_FOR(f, asking(f, PROMPT_CREATE_PARENTS));
    key(f, 'y');
    WAIT_FOR(f, said_info(f, say("created %s", leaf)));

    assert_string_equal(data_on_server(f, at(f, "m1")), "");
    assert_string_equal(data_on_server(f, at(f, "m1/m2")), "");
    assert_string_equal(data_on_server(f, leaf), "x");
    assert_string_equal(f->a.error, "");
    assert_true(has_event(f, EV_CHANGE, say("created %s (a missing parent)", at(f, "m1"))));
    assert_true(has_event(f, EV_CHANGE, say("created %s (a missing parent)", at(f, "m1/m2"))));
    assert_true(has_event(f, EV_CHANGE, say("created %s", leaf)));
    /* The base existed: asked for, refused, and nothing said about it. */
    assert_int_equal(audit_count(f, "create", f->base, -1, zk_strerror(ZNODEEXISTS)), 1);
    assert_int_equal(audit_count(f, "create", at(f, "m1"), -1, "ok"), 1);
    assert_int_equal(audit_count(f, "create", at(f, "m1/m2"), -1, "ok"), 1);
    assert_int_equal(audit_count(f, "create", leaf, -1, "ok"), 1);
    WAIT_FOR(f, f->a.selected && strcmp(f->a.selected, leaf) == 0);
}

static void test_c_under_an_ephemeral_says_ephemerals_have_no_children(void **state)
{
    struct fx *f = *state;
    const char *eph = at(f, "eph"), *kid = at(f, "eph/kid");
    other_create(f, eph, "", ZOO_EPHEMERAL);
    go_to(f, eph);
    c_types(f, "kid", 'p', NULL, "");
    WAIT_FOR(f, said_error(f, say("%s not created: its parent is ephemeral, and ephemeral nodes "
                                  "cannot have children (NOCHILDRENFOREPHEMERALS)",
                                  kid)));
    assert_false(on_server(f, kid));
    assert_error_logged(f);
    assert_int_equal(audit_count(f, "create", kid, -1, zk_strerror(ZNOCHILDRENFOREPHEMERALS)), 1);
}

static void test_c_without_the_right_to_create_says_no_access(void **state)
{
    struct fx *f = *state;
    const char *ro = at(f, "ro");
    restrict_to_reading(f, ro, NULL);
    go_to(f, ro);
    c_types(f, "kid", 'p', NULL, "");
    WAIT_FOR(f, said_error(f, say("%s not created: not allowed: with no credentials, zktui lacks "
                                  "CREATE permission on %s, the parent (NOAUTH)",
                                  at(f, "ro/kid"), ro)));
    assert_error_logged(f);
    assert_int_equal(audit_count(f, "create", at(f, "ro/kid"), -1, zk_strerror(ZNOAUTH)), 1);
}

static void test_c_refuses_invalid_paths_before_sending(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *name, *why;
    } bad[] = {
        { "x/", "a path must not end with /" },
        { "a//b", "a path must not have empty segments (//)" },
        { "//x", "a path must not have empty segments (//)" },
        { ".", "a path must not have . or .. segments" },
        { "..", "a path must not have . or .. segments" },
        { "a/../b", "a path must not have . or .. segments" },
        { "/x/./y", "a path must not have . or .. segments" },
        { "a\xef\xbf\xbf", "the path holds a character ZooKeeper refuses" }, /* U+FFFF */
        { "a\xc2\x85", "the path holds a character ZooKeeper refuses" },     /* U+0085 */
        { "a\xee\x80\x80", "the path holds a character ZooKeeper refuses" }, /* U+E000 */
        { "a\xff", "the path is not valid UTF-8" },
        { "a\xc3", "the path is not valid UTF-8" },
    };
    go_to(f, f->base);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        app_act(&f->a, ACT_CREATE);
        type(f, bad[i].name);
        type(f, "\n");
        if (!asking(f, PROMPT_CREATE_NAME))
            fail_msg("'%s' was taken", bad[i].name);
        assert_string_equal(f->a.prompt.detail,
                            say("not a valid path: %s  (Esc: cancel)", bad[i].why));
        key(f, KEY_ESC);
    }
    /* Control characters cannot even be typed (U+0000 never could). */
    app_act(&f->a, ACT_CREATE);
    type(f, "a\x01\x1f\x7f");
    type(f, "b");
    assert_string_equal(f->a.prompt.input, "b");
    /* A name without a leading / is under the node selected: never a
     * relative path sent. */
    type(f, "\n");
    assert_true(asking(f, PROMPT_CREATE_MODE));
    assert_string_equal(f->a.prompt.path, at(f, "b"));
    key(f, KEY_ESC);

    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_int_equal(kids_on_server(f, f->base), 0);
    assert_int_equal(audit_total(f), 0);
}

/* ======================================================================== */
/* e and i: set data, with the version read before editing                 */
/* ======================================================================== */

static void test_e_saves_with_the_version_read_before_and_removes_the_file(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file;
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_EDIT);
    assert_string_equal(f->a.edit.path, x);
    assert_int_equal(f->a.edit.version, 0);
    file = editor_saves(f, "v2\nline two\n");
    assert_string_equal(f->a.info, say("saving %s (version 0)...", x));
    WAIT_FOR(f, said_info(f, say("saved %s (version 0 -> 1)", x)));

    assert_string_equal(data_on_server(f, x), "v2\nline two\n");
    assert_int_equal(stat_of(f, x).version, 1);
    /* zktui holds what it saved at once, at the new version: an e or i
     * right after the save starts from it (the watch's re-read comes
     * after the save's answer, at the earliest in the same drain). */
    {
        const struct node *n = store_get(f->a.store, x);
        assert_non_null(n);
        assert_int_equal(n->stat.version, 1);
        assert_int_equal(node_data_len(n), 12);
        assert_memory_equal(node_data(n), "v2\nline two\n", 12);
    }
    assert_false(file_exists(file));
    assert_true(has_event(f, EV_CHANGE, say("saved %s (version 0)", x)));
    assert_int_equal(audit_count(f, "set", x, 0, "ok"), 1);
}

static void test_e_unchanged_sends_nothing(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file;
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_EDIT);
    file = editor_saves(f, "v1");
    assert_string_equal(f->a.info, say("%s unchanged: nothing sent", x));
    assert_false(file_exists(file));
    assert_null(f->a.edit.path);
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_int_equal(stat_of(f, x).version, 0);
    assert_int_equal(audit_total(f), 0);
}

/* The server refuses a request over jute.maxbuffer (1 MB): text that
 * would pass it is refused before anything is sent; text just under the
 * line zktui draws goes through. */
static void test_e_over_1_mb_is_refused_before_sending(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file;
    const size_t big = 1024 * 1024, most = 1024 * 1024 - 1024;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, 'a', big);
    other_create(f, x, "v1", 0);
    go_to(f, x);

    app_act(&f->a, ACT_EDIT);
    file = file_with(f, text, big);
    assert_true(app_edit_done(&f->a, text, big, file));
    assert_string_equal(f->a.error,
                        say("%s not saved: %zu bytes, the server takes at most about 1 MB; your "
                            "text is in %s",
                            x, big, file));
    assert_error_logged(f);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_true(file_exists(file));

    app_act(&f->a, ACT_EDIT);
    file = file_with(f, text, most);
    assert_true(app_edit_done(&f->a, text, most, file));
    WAIT_FOR(f, said_info(f, say("saved %s (version 0 -> 1)", x)));
    assert_int_equal(stat_of(f, x).dataLength, (int)most);
    assert_int_equal(audit_count(f, "set", x, 0, "ok"), 1);
    free(text);
}

static void test_e_edits_binary_data_as_hex_and_i_refuses_it(void **state)
{
    struct fx *f = *state;
    const char *bin = at(f, "bin"), *file;
    struct strbuf text = { 0 };
    char *pair, got[8];
    int len = (int)sizeof got;
    assert_int_equal(zoo_create(f->other, bin, "\x00\x01\x02", 3, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0),
                     ZOK);
    go_to(f, bin);
    app_act(&f->a, ACT_INLINE_EDIT);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.error, say("%s holds binary data: e edits it as hex", bin));

    /* What is not hex is refused with its line: nothing sent, the file kept. */
    app_act(&f->a, ACT_EDIT);
    assert_true(f->a.edit.hex);
    file = editor_saves(f, "00 01 0g\n");
    assert_string_equal(
        f->a.error,
        say("%s not saved: line 1: 'g' is not a hex digit; your text is in %s", bin, file));
    assert_error_logged(f);
    assert_true(file_exists(file));
    assert_int_equal(zk_writes_sent(f->zk), 0);

    /* The dump the editor gets, one byte changed in it. */
    app_act(&f->a, ACT_EDIT);
    app_edit_file_text(&f->a, &text);
    assert_non_null(pair = strstr(text.s, "00000000: 00 01 02"));
    memcpy(pair + strlen("00000000: 00 01 "), "ff", 2);
    editor_saves(f, sb_str(&text));
    sb_free(&text);
    WAIT_FOR(f, said_info(f, say("saved %s (version 0 -> 1)", bin)));
    assert_int_equal(zoo_get(f->other, bin, 0, got, &len, NULL), ZOK);
    assert_int_equal(len, 3);
    assert_memory_equal(got, "\x00\x01\xff", 3);
    assert_int_equal(audit_count(f, "set", bin, 0, "ok"), 1);
}

/* e on x ("v1"), and another client sets it to "theirs\nsecond" before
 * the editor is done: the conflict question is up. The editor's file. */
static const char *e_conflict(struct fx *f, const char *x)
{
    const char *file;
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_EDIT);
    other_set(f, x, "theirs\nsecond");
    file = editor_saves(f, "mine");
    WAIT_FOR(f, asking(f, PROMPT_EDIT_CONFLICT));
    assert_true(
        starts_with(f->a.prompt.detail, say("%s changed while you edited: version 0 -> 1, ", x)));
    assert_true(ends_with(f->a.prompt.detail, " ago, 2 -> 13 bytes; line 1 is now \"theirs\""));
    assert_string_equal(f->a.prompt.text,
                        say("o: overwrite with yours   r: reload (edit theirs)   Esc: cancel "
                            "(yours stays in %s)",
                            file));
    assert_string_equal(data_on_server(f, x), "theirs\nsecond");
    assert_true(file_exists(file));
    assert_int_equal(audit_count(f, "set", x, 0, zk_strerror(ZBADVERSION)), 1);
    return file;
}

static void test_e_conflict_o_overwrites_against_the_version_shown(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file = e_conflict(f, x);
    key(f, 'o');
    assert_string_equal(f->a.info, say("overwriting %s (version 1)...", x));
    WAIT_FOR(f, said_info(f, say("saved %s (version 1 -> 2)", x)));
    assert_string_equal(data_on_server(f, x), "mine");
    assert_false(file_exists(file));
    assert_int_equal(audit_count(f, "set", x, 1, "ok"), 1);
    assert_int_equal(zk_writes_sent(f->zk), 2);
}

static void test_e_conflict_r_reloads_theirs_for_the_editor(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file = e_conflict(f, x);
    key(f, 'r');
    assert_true(asking(f, PROMPT_NONE));
    /* The editor (ui.c) opens next on theirs, with their version. */
    assert_string_equal(f->a.edit.path, x);
    assert_string_equal(f->a.edit.data, "theirs\nsecond");
    assert_int_equal(f->a.edit.version, 1);
    assert_false(f->a.edit.in_prompt);
    assert_true(file_exists(file)); /* ours, kept */
    editor_saves(f, "theirs\nsecond\nand mine");
    WAIT_FOR(f, said_info(f, say("saved %s (version 1 -> 2)", x)));
    assert_string_equal(data_on_server(f, x), "theirs\nsecond\nand mine");
    assert_int_equal(audit_count(f, "set", x, 1, "ok"), 1);
}

static void test_e_conflict_esc_sends_nothing_and_keeps_the_file(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file = e_conflict(f, x);
    char kept[16] = "";
    FILE *in;
    key(f, KEY_ESC);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.info, say("nothing saved; your text is in %s", file));
    assert_null(f->a.edit.path);
    assert_null(f->a.saving.path);
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 1);
    assert_string_equal(data_on_server(f, x), "theirs\nsecond");
    assert_non_null(in = fopen(file, "r"));
    assert_non_null(fgets(kept, sizeof kept, in));
    fclose(in);
    assert_string_equal(kept, "mine");
    assert_int_equal(audit_total(f), 1);
}

static void test_e_second_change_during_the_conflict_is_asked_again_not_overwritten(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file = e_conflict(f, x);
    other_set(f, x, "third");
    key(f, 'o');
    WAIT_FOR(f, asking(f, PROMPT_EDIT_CONFLICT));
    assert_true(
        starts_with(f->a.prompt.detail, say("%s changed while you edited: version 1 -> 2, ", x)));
    assert_true(ends_with(f->a.prompt.detail, " ago, 13 -> 5 bytes; line 1 is now \"third\""));
    assert_string_equal(data_on_server(f, x), "third");
    assert_int_equal(audit_count(f, "set", x, 1, zk_strerror(ZBADVERSION)), 1);

    key(f, 'o');
    WAIT_FOR(f, said_info(f, say("saved %s (version 2 -> 3)", x)));
    assert_string_equal(data_on_server(f, x), "mine");
    assert_false(file_exists(file));
    assert_int_equal(zk_writes_sent(f->zk), 3);
}

static void test_e_on_a_node_deleted_meanwhile_keeps_the_text(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file;
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_EDIT);
    other_delete(f, x);
    file = editor_saves(f, "mine");
    WAIT_FOR(f,
             said_error(f, say("%s not saved: it is gone already; your text is in %s", x, file)));
    assert_error_logged(f);
    assert_true(file_exists(file));
    assert_false(on_server(f, x));
    assert_int_equal(audit_count(f, "set", x, 0, zk_strerror(ZNONODE)), 1);
}

static void test_e_without_the_right_to_write_says_no_access(void **state)
{
    struct fx *f = *state;
    const char *ro = at(f, "ro"), *file;
    restrict_to_reading(f, ro, NULL);
    go_to(f, ro);
    app_act(&f->a, ACT_EDIT);
    file = editor_saves(f, "v2");
    WAIT_FOR(f, said_error(f, say("%s not saved: not allowed: with no credentials, zktui lacks "
                                  "WRITE permission on %s (NOAUTH); your text is in %s",
                                  ro, ro, file)));
    assert_error_logged(f);
    assert_true(file_exists(file));
    assert_string_equal(data_on_server(f, ro), "v1");
    assert_int_equal(audit_count(f, "set", ro, 0, zk_strerror(ZNOAUTH)), 1);
}

static void test_i_saves_one_line_in_place(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_INLINE_EDIT);
    assert_true(asking(f, PROMPT_INLINE_EDIT));
    assert_string_equal(f->a.prompt.input, "v1");
    assert_string_equal(f->a.prompt.detail,
                        say("Edit %s (version 0), one line   Enter: save   Esc: cancel", x));
    key(f, KEY_ERASE);
    type(f, "2 and more\n");
    assert_true(asking(f, PROMPT_NONE));
    WAIT_FOR(f, said_info(f, say("saved %s (version 0 -> 1)", x)));
    assert_string_equal(data_on_server(f, x), "v2 and more");
    assert_int_equal(audit_count(f, "set", x, 0, "ok"), 1);

    /* Unchanged, or cancelled: nothing. */
    WAIT_FOR(f, store_get(f->a.store, x)->stat.version == 1);
    app_act(&f->a, ACT_INLINE_EDIT);
    type(f, "\n");
    assert_string_equal(f->a.info, say("%s unchanged: nothing sent", x));
    app_act(&f->a, ACT_INLINE_EDIT);
    type(f, "zzz");
    key(f, KEY_ESC);
    assert_string_equal(f->a.info, "nothing changed");
    assert_null(f->a.edit.path);
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 1);
}

static void test_i_refuses_more_than_one_line(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "a\nb", 0);
    go_to(f, x);
    app_act(&f->a, ACT_INLINE_EDIT);
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.error,
                        say("%s holds more than one line: e edits it in your editor", x));
    assert_null(f->a.edit.path);
    assert_int_equal(zk_writes_sent(f->zk), 0);
}

static void test_i_conflict_r_edits_theirs_in_place(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_INLINE_EDIT);
    other_set(f, x, "theirs");
    type(f, "+mine\n");
    WAIT_FOR(f, asking(f, PROMPT_EDIT_CONFLICT));
    assert_true(ends_with(f->a.prompt.detail, " ago, 2 -> 6 bytes; line 1 is now \"theirs\""));
    assert_string_equal(f->a.prompt.text,
                        "o: overwrite with yours   r: reload (edit theirs)   Esc: cancel");

    key(f, 'r');
    assert_true(asking(f, PROMPT_INLINE_EDIT));
    assert_string_equal(f->a.prompt.input, "theirs");
    assert_string_equal(f->a.prompt.detail,
                        say("Edit %s (version 1), one line   Enter: save   Esc: cancel", x));
    type(f, "+mine\n");
    WAIT_FOR(f, said_info(f, say("saved %s (version 1 -> 2)", x)));
    assert_string_equal(data_on_server(f, x), "theirs+mine");
    assert_int_equal(audit_count(f, "set", x, 0, zk_strerror(ZBADVERSION)), 1);
    assert_int_equal(audit_count(f, "set", x, 1, "ok"), 1);
}

/* ======================================================================== */
/* a: set an ACL, with the ACL version it was read with                     */
/* ======================================================================== */

#define KEY_CTRL_U 21

/* a on path: the ACL read afresh, its text in the prompt. */
static void a_opened(struct fx *f, const char *path, const char *acl)
{
    go_to(f, path);
    app_act(&f->a, ACT_ACL);
    assert_true(asking(f, PROMPT_ACL));
    WAIT_FOR(f, f->a.prompt.label[0] != '\0'); /* read */
    assert_string_equal(f->a.prompt.input, acl);
}

/* a on path, its ACL replaced by text, up to the confirmation. */
static void a_typed(struct fx *f, const char *path, const char *text)
{
    a_opened(f, path, "world:anyone:cdrwa");
    key(f, KEY_CTRL_U);
    type(f, text);
    type(f, "\n");
    assert_true(asking(f, PROMPT_ACL_CONFIRM));
}

static void test_a_sets_the_acl_with_the_aversion_it_read(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    int aversion;
    other_create(f, x, "", 0);
    a_opened(f, x, "world:anyone:cdrwa");
    assert_string_equal(
        f->a.prompt.detail,
        say("ACL of %s (aversion 0) as scheme:id:perms,... (cdrwa)   Enter: check   "
            "^W: erase an entry   Esc: cancel",
            x));
    key(f, KEY_CTRL_U);
    type(f, "world:anyone:cdra\n");
    assert_true(asking(f, PROMPT_ACL_CONFIRM));
    assert_string_equal(f->a.prompt.detail,
                        say("ACL of %s (aversion 0): world:anyone:cdrwa -> world:anyone:cdra", x));
    assert_string_equal(f->a.prompt.text, "Set it?   y: set   n: edit again   Esc: cancel");
    key(f, 'y');
    assert_string_equal(f->a.info, say("setting the ACL of %s (aversion 0)...", x));
    WAIT_FOR(f, said_info(f, say("set the ACL of %s (was aversion 0)", x)));

    assert_int_equal(anyone_perms(f, x, &aversion), ZOO_PERM_ALL & ~ZOO_PERM_WRITE);
    assert_int_equal(aversion, 1);
    assert_true(
        has_event(f, EV_CHANGE, say("set the ACL of %s (was aversion 0) to world:anyone:cdra", x)));
    assert_int_equal(audit_count(f, "setacl", x, 0, "ok"), 1);
    assert_int_equal(zk_writes_sent(f->zk), 1);
}

static void test_a_refuses_an_acl_another_client_changed_after_the_read(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    int aversion;
    other_create(f, x, "", 0);
    a_typed(f, x, "world:anyone:cdra");
    other_set_acl(f, x, ZOO_PERM_READ | ZOO_PERM_ADMIN);
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("the ACL of %s was not set: the ACL changed since you looked (a: "
                                  "edit it as it is now)",
                                  x)));
    assert_error_logged(f);
    assert_int_equal(anyone_perms(f, x, &aversion), ZOO_PERM_READ | ZOO_PERM_ADMIN);
    assert_int_equal(aversion, 1);
    assert_int_equal(audit_count(f, "setacl", x, 0, zk_strerror(ZBADVERSION)), 1);

    /* a again: what the other client set, with its version. */
    app_act(&f->a, ACT_ACL);
    WAIT_FOR(f, f->a.prompt.label[0] != '\0');
    assert_string_equal(f->a.prompt.input, "world:anyone:ra");
    assert_int_equal(f->a.prompt.version, 1);
    key(f, KEY_ESC);
}

static void test_a_sends_nothing_refused_unchanged_or_cancelled(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    int aversion;
    other_create(f, x, "", 0);
    a_opened(f, x, "world:anyone:cdrwa");
    key(f, KEY_CTRL_U);
    type(f, "world:anyone:cdrwx\n");
    assert_true(asking(f, PROMPT_ACL));
    assert_true(starts_with(f->a.prompt.detail, "not sent: "));
    key(f, KEY_CTRL_U);
    type(f, "world:anyone:cdrwa\n");
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.info, say("the ACL of %s is unchanged: nothing sent", x));

    /* Losing ADMIN is warned about; n edits again, q and Esc cancel. */
    a_typed(f, x, "world:anyone:r");
    assert_string_equal(f->a.prompt.text, "It leaves you no ADMIN (a): you could not change it "
                                          "back!  Set it?   y: set   n: edit again   Esc: cancel");
    key(f, 'n');
    assert_true(asking(f, PROMPT_ACL));
    assert_string_equal(f->a.prompt.input, "world:anyone:r");
    type(f, "\n");
    assert_true(asking(f, PROMPT_ACL_CONFIRM));
    key(f, 'q');
    assert_true(asking(f, PROMPT_NONE));
    assert_string_equal(f->a.info, "nothing changed");
    a_typed(f, x, "world:anyone:r");
    key(f, KEY_ESC);
    assert_true(asking(f, PROMPT_NONE));

    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_int_equal(anyone_perms(f, x, &aversion), ZOO_PERM_ALL);
    assert_int_equal(aversion, 0);
    assert_int_equal(audit_total(f), 0);
}

static void test_a_without_admin_says_not_allowed(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    int aversion;
    other_create(f, x, "", 0);
    other_set_acl(f, x, ZOO_PERM_READ);
    a_opened(f, x, "world:anyone:r");
    key(f, KEY_CTRL_U);
    type(f, "world:anyone:cdrwa\n");
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("the ACL of %s was not set: not allowed: with no credentials, "
                                  "zktui lacks ADMIN permission on %s (NOAUTH)",
                                  x, x)));
    assert_error_logged(f);
    assert_int_equal(anyone_perms(f, x, &aversion), ZOO_PERM_READ);
    assert_int_equal(audit_count(f, "setacl", x, 1, zk_strerror(ZNOAUTH)), 1);
}

/* ======================================================================== */
/* read-only: nothing leaves the process                                    */
/* ======================================================================== */

static void test_read_only_refuses_every_change_and_sends_nothing(void **state)
{
    struct fx *f = *state;
    const enum action changes[] = {
        ACT_DELETE, ACT_RDELETE, ACT_CREATE, ACT_EDIT, ACT_INLINE_EDIT, ACT_ACL,
    };
    const char *x = at(f, "x"), *kid = at(f, "x/kid");
    char *paths[] = { (char *)kid, (char *)x };
    int32_t versions[] = { 0, 0 };
    other_create(f, x, "v1", 0);
    other_create(f, kid, "v1", 0);
    assert_true(zk_read_only(f->zk));
    for (int round = 0; round < 2; round++) {
        go_to(f, round ? kid : x);
        for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
            f->a.error[0] = '\0';
            app_act(&f->a, changes[i]);
            assert_true(asking(f, PROMPT_NONE));
            assert_null(f->a.edit.path);
            assert_string_equal(f->a.error, f->a.read_only_why);
        }
    }
    /* A session's nodes (S, L) go through the same refusal. */
    f->a.error[0] = '\0';
    assert_false(app_delete_nodes(&f->a, paths, versions, 2, "two nodes"));
    assert_string_equal(f->a.error, f->a.read_only_why);
    assert_error_logged(f);

    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_string_equal(data_on_server(f, x), "v1");
    assert_true(on_server(f, kid));
    assert_int_equal(audit_total(f), 0);
}

/* The session refuses every change by itself: whatever a dialog let
 * through, nothing is sent, and it says why. */
static void test_read_only_session_refuses_what_a_dialog_lets_through(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "v1", 0);
    other_create(f, at(f, "x/kid"), "", 0);
    go_to(f, at(f, "x/kid"));
    zk_set_read_only(f->zk, true);

    app_act(&f->a, ACT_DELETE);
    key(f, 'y');
    assert_string_equal(f->a.error, say("%s not deleted: %s", at(f, "x/kid"), f->a.read_only_why));

    c_types(f, "new", 'p', NULL, "");
    assert_string_equal(f->a.error, say("%s not created: %s", at(f, "x/kid/new"), f->a.read_only_why));

    go_to(f, x);
    app_act(&f->a, ACT_RDELETE);
    WAIT_FOR(f, asking(f, PROMPT_RDELETE));
    type(f, "x\n");
    assert_string_equal(f->a.error, say("stopped: %s; 0 of 2 deleted (%s and everything under it)",
                                        f->a.read_only_why, x));

    app_act(&f->a, ACT_EDIT);
    const char *file = editor_saves(f, "v2");
    assert_string_equal(f->a.error,
                        say("%s not saved: %s; your text is in %s", x, f->a.read_only_why, file));
    assert_error_logged(f);

    a_typed(f, x, "world:anyone:r");
    key(f, 'y');
    assert_string_equal(f->a.error, say("the ACL of %s was not set: %s", x, f->a.read_only_why));

    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 0);
    assert_string_equal(data_on_server(f, x), "v1");
    assert_true(on_server(f, at(f, "x/kid")));
    assert_int_equal(audit_total(f), 0);
}

static void test_read_only_session_refuses_an_overwrite_after_a_conflict(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file = e_conflict(f, x);
    zk_set_read_only(f->zk, true);
    key(f, 'o');
    assert_string_equal(f->a.error,
                        say("%s not saved: %s; your text is in %s", x, f->a.read_only_why, file));
    assert_null(f->a.saving.path);
    assert_true(file_exists(file));
    pump(f, 100);
    assert_int_equal(zk_writes_sent(f->zk), 1); /* the set that met the conflict */
    assert_string_equal(data_on_server(f, x), "theirs\nsecond");
}

/* ======================================================================== */
/* the connection lost between the question and the answer                  */
/* ======================================================================== */

static void cut(struct fx *f)
{
    proxy_set(f->proxy, &f->proxy->cut, true);
    WAIT_FOR(f, f->a.state == CONN_RECONNECTING);
}

static void restore(struct fx *f)
{
    proxy_set(f->proxy, &f->proxy->cut, false);
    WAIT_FOR(f, connected(f));
}

static void test_connection_lost_before_d_is_answered_deletes_nothing_and_says_so(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    other_create(f, x, "", 0);
    go_to(f, x);
    app_act(&f->a, ACT_DELETE);
    cut(f);
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("%s not deleted: connection to the server lost", x)));
    assert_error_logged(f);
    assert_true(on_server(f, x));
    assert_int_equal(audit_count(f, "delete", x, 0, zk_strerror(ZCONNECTIONLOSS)), 1);

    /* Back: the same question, answered, deletes it. */
    restore(f);
    app_act(&f->a, ACT_DELETE);
    key(f, 'y');
    WAIT_FOR(f, said_info(f, say("deleted %s (version 0)", x)));
    assert_false(on_server(f, x));
}

static void test_connection_lost_before_e_is_saved_keeps_the_text(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x"), *file;
    other_create(f, x, "v1", 0);
    go_to(f, x);
    app_act(&f->a, ACT_EDIT);
    cut(f);
    file = editor_saves(f, "mine");
    WAIT_FOR(f, said_error(f, say("%s not saved: connection to the server lost; your text is in %s",
                                  x, file)));
    assert_error_logged(f);
    assert_true(file_exists(file));
    assert_null(f->a.saving.path);
    assert_string_equal(data_on_server(f, x), "v1");
    assert_int_equal(audit_count(f, "set", x, 0, zk_strerror(ZCONNECTIONLOSS)), 1);
    restore(f);
}

static void test_connection_lost_before_D_is_confirmed_says_it_may_not_know(void **state)
{
    struct fx *f = *state;
    seed_small_tree(f);
    D_counted(f, at(f, "t"), "6 nodes (1 ephemeral), 4 levels deep");
    cut(f);
    type(f, "t\n");
    WAIT_FOR(f, starts_with(f->a.error, "stopped at "));
    assert_true(ends_with(f->a.error,
                          say(": the connection was lost (the last transaction may or may not have "
                              "happened); 0 of 6 deleted (%s and everything under it)",
                              at(f, "t"))));
    assert_error_logged(f);
    assert_true(on_server(f, at(f, "t/a/b/c")));
    assert_int_equal(audit_count(f, "delete", at(f, "t/a/b/c"), 0, zk_strerror(ZCONNECTIONLOSS)),
                     1);
    assert_int_equal(audit_total(f), 6);
    restore(f);
}

static void test_connection_lost_before_a_is_answered_sets_nothing(void **state)
{
    struct fx *f = *state;
    const char *x = at(f, "x");
    int aversion;
    other_create(f, x, "", 0);
    a_typed(f, x, "world:anyone:r");
    cut(f);
    key(f, 'y');
    WAIT_FOR(f, said_error(f, say("the ACL of %s was not set: connection to the server lost", x)));
    assert_error_logged(f);
    assert_int_equal(anyone_perms(f, x, &aversion), ZOO_PERM_ALL);
    assert_int_equal(audit_count(f, "setacl", x, 0, zk_strerror(ZCONNECTIONLOSS)), 1);
    restore(f);
}

static void test_c_with_no_server_says_the_connection_is_lost(void **state)
{
    struct fx *f = *state;
    const char *p = at(f, "p");
    assert_false(connected(f));
    /* What needs the node read says so; the root is never deleted. */
    app_act(&f->a, ACT_EDIT);
    assert_string_equal(f->a.error, "/ is still being read: try again in a moment");
    app_act(&f->a, ACT_DELETE);
    assert_string_equal(f->a.error, "the root cannot be deleted");

    c_types(f, p, 'p', NULL, "");
    WAIT_FOR(f, said_error(f, say("%s not created: connection to the server lost", p)));
    assert_error_logged(f);
    assert_false(on_server(f, p));
    assert_int_equal(audit_count(f, "create", p, -1, zk_strerror(ZCONNECTIONLOSS)), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_d_deletes_the_node_with_the_version_it_asked_about),
        T(test_d_refuses_a_node_another_client_changed_after_the_question),
        T(test_d_refuses_a_node_another_client_gave_a_child_after_the_question),
        T(test_d_says_gone_when_another_client_deleted_it_first),
        T(test_d_answered_n_esc_or_q_sends_nothing),
        T(test_d_refuses_the_root_and_a_node_with_children_before_sending),
        T(test_d_without_the_right_to_delete_says_no_access),

        T(test_D_deletes_a_subtree_deepest_first_one_audit_line_per_node),
        T(test_D_with_a_wrong_name_typed_deletes_nothing),
        T(test_D_stops_at_a_node_changed_after_the_count),
        T(test_D_stops_at_a_node_another_client_deleted_after_the_count),
        T(test_D_without_the_right_to_delete_stops_and_says_which),
        T(test_D_deletes_more_than_a_thousand_nodes_in_several_transactions),
        T(test_D_stops_at_a_child_added_after_the_count_and_tries_nothing_after),
        T(test_D_cancelled_while_counting_sends_nothing_and_counts_afresh),
        T(test_D_refuses_the_root_and_zookeeper),

        T(test_c_creates_a_persistent_node_with_its_data_and_selects_it),
        T(test_c_takes_a_full_path_anywhere),
        T(test_c_creates_an_ephemeral_that_lives_with_zktuis_session),
        T(test_c_creates_sequential_nodes_with_their_number),
        T(test_c_creates_a_container_and_ttl_nodes),
        T(test_c_refuses_a_bad_ttl_before_sending),
        T(test_c_says_when_the_node_exists),
        T(test_c_offers_missing_parents_and_n_makes_nothing),
        T(test_c_offers_missing_parents_and_y_makes_them_then_the_node),
        T(test_c_under_an_ephemeral_says_ephemerals_have_no_children),
        T(test_c_without_the_right_to_create_says_no_access),
        T(test_c_refuses_invalid_paths_before_sending),

        T(test_e_saves_with_the_version_read_before_and_removes_the_file),
        T(test_e_unchanged_sends_nothing),
        T(test_e_over_1_mb_is_refused_before_sending),
        T(test_e_edits_binary_data_as_hex_and_i_refuses_it),
        T(test_e_conflict_o_overwrites_against_the_version_shown),
        T(test_e_conflict_r_reloads_theirs_for_the_editor),
        T(test_e_conflict_esc_sends_nothing_and_keeps_the_file),
        T(test_e_second_change_during_the_conflict_is_asked_again_not_overwritten),
        T(test_e_on_a_node_deleted_meanwhile_keeps_the_text),
        T(test_e_without_the_right_to_write_says_no_access),
        T(test_i_saves_one_line_in_place),
        T(test_i_refuses_more_than_one_line),
        T(test_i_conflict_r_edits_theirs_in_place),

        T(test_a_sets_the_acl_with_the_aversion_it_read),
        T(test_a_refuses_an_acl_another_client_changed_after_the_read),
        T(test_a_sends_nothing_refused_unchanged_or_cancelled),
        T(test_a_without_admin_says_not_allowed),

        cmocka_unit_test_setup_teardown(test_read_only_refuses_every_change_and_sends_nothing,
                                        setup_read_only, teardown),
        T(test_read_only_session_refuses_what_a_dialog_lets_through),
        T(test_read_only_session_refuses_an_overwrite_after_a_conflict),

        cmocka_unit_test_setup_teardown(
            test_connection_lost_before_d_is_answered_deletes_nothing_and_says_so, setup_via_proxy,
            teardown),
        cmocka_unit_test_setup_teardown(test_connection_lost_before_e_is_saved_keeps_the_text,
                                        setup_via_proxy, teardown),
        cmocka_unit_test_setup_teardown(
            test_connection_lost_before_D_is_confirmed_says_it_may_not_know, setup_via_proxy,
            teardown),
        cmocka_unit_test_setup_teardown(test_connection_lost_before_a_is_answered_sets_nothing,
                                        setup_via_proxy, teardown),
        cmocka_unit_test_setup_teardown(test_c_with_no_server_says_the_connection_is_lost,
                                        setup_no_server, teardown),
    };
#undef T
    return cmocka_run_group_tests_name("mutations", tests, NULL, NULL);
}
