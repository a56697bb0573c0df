/* Sessions: reading `cons` answers (real ones, captured from the Debian
 * ZooKeeper 3.8.0 server on Java 17, over IPv4 and IPv6, and its refusal
 * when cons is not whitelisted), grouping the ephemeral nodes of a store
 * by owner with their roles, and the cons asker's mechanics against
 * loopback sockets served here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "model/sessions.h"
#include "zk/fourlw.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define S(lit) lit, sizeof(lit) - 1

/* Two clients with sessions (zkctl batch, one holding a lock), and the
 * connection asking (no session). */
static const char cons_v4[] =
    " /127.0.0.1:34580[1](queued=0,recved=5,sent=5,sid=0x10001b5d8530000,lop=CREA,"
    "est=1795434604971,to=10000,lcxid=0x6b042870,lzxid=0x5,lresp=28695009,llat=2,minlat=0,"
    "avglat=3,maxlat=9)\n"
    " /127.0.0.1:34608[0](queued=0,recved=1,sent=0)\n"
    "\n";

/* A client on ::1, asked over IPv6 and over IPv4. */
static const char cons_v6[] =
    " /[0:0:0:0:0:0:0:1]:36082[0](queued=0,recved=1,sent=0)\n"
    " /[0:0:0:0:0:0:0:1]:36074[1](queued=0,recved=2,sent=2,sid=0x10001b7cdab0000,lop=CREA,"
    "est=1795434733291,to=10000,lcxid=0x6b0428ee,lzxid=0x2,lresp=28823333,llat=11,minlat=0,"
    "avglat=8,maxlat=11)\n"
    "\n";

static const char refused[] = "cons is not executed because it is not in the whitelist.\n";

static void test_a_real_line(void **state)
{
    struct cons_conn c;
    (void)state;
    assert_true(cons_parse_line(cons_v4, strchr(cons_v4, '\n') - cons_v4, &c));
    assert_string_equal(c.client, "127.0.0.1:34580");
    assert_true(c.sid == 0x10001b5d8530000LL);
    assert_string_equal(c.lop, "CREA");
    assert_true(c.est == 1795434604971LL);
    assert_int_equal(c.to, 10000);
    assert_int_equal(c.queued, 0);
    assert_int_equal(c.recved, 5);
    assert_int_equal(c.sent, 5);
    assert_int_equal(c.lzxid, 5);
    assert_int_equal(c.llat, 2);
    assert_int_equal(c.minlat, 0);
    assert_int_equal(c.maxlat, 9);
    assert_true(c.avglat > 2.99 && c.avglat < 3.01);
}

static void test_lines_without_a_session_and_odd_ones(void **state)
{
    struct cons_conn c;
    static const char *const bad[] = {
        "", "   ", "hello", "/127.0.0.1:1(queued=0)", "/127.0.0.1:1[](queued=0)",
        "[1](queued=0)", "/127.0.0.1:1[1](queued=0", "/127.0.0.1[1](queued=0)",
        "/127.0.0.1:12x[1](queued=0)",
    };
    (void)state;
    assert_true(cons_parse_line(S(" /127.0.0.1:34608[0](queued=0,recved=1,sent=0)"), &c));
    assert_string_equal(c.client, "127.0.0.1:34608");
    assert_int_equal(c.sid, 0);
    assert_string_equal(c.lop, "");
    for (size_t i = 0; i < N(bad); i++)
        assert_false(cons_parse_line(bad[i], strlen(bad[i]), &c));
    /* a host name before the address; a fraction; keys not known; \r\n */
    assert_true(cons_parse_line(
        S("\tzk1.example/10.0.0.7:2181[1](sid=0xffffffffffffffff,avglat=0.25,newkey=1,lop=PING)\r"),
        &c));
    assert_string_equal(c.client, "10.0.0.7:2181");
    assert_true(c.sid == -1);
    assert_true(c.avglat > 0.24 && c.avglat < 0.26);
    assert_string_equal(c.lop, "PING");
}

static void test_ipv6_addresses(void **state)
{
    struct cons_answer a;
    char out[64];
    (void)state;
    assert_int_equal(cons_parse(S(cons_v6), &a), CONS_OK);
    assert_int_equal(a.lines, 2);
    assert_int_equal(a.n, 1);
    assert_string_equal(a.v[0].client, "[::1]:36074");
    assert_true(a.v[0].sid == 0x10001b7cdab0000LL);
    cons_answer_free(&a);
    /* Java before 14 writes no brackets; the port is after the last colon. */
    assert_true(cons_client_normalize(S("/0:0:0:0:0:0:0:1:36074"), out, sizeof out));
    assert_string_equal(out, "[::1]:36074");
    assert_true(cons_client_normalize(S("/fe80:0:0:0:1:2:3:4:9"), out, sizeof out));
    assert_string_equal(out, "[fe80::1:2:3:4]:9");
    assert_true(cons_client_normalize(S("/[2001:db8:0:0:0:0:0:1]:2181"), out, sizeof out));
    assert_string_equal(out, "[2001:db8::1]:2181");
    /* not a literal (a zone): kept as written */
    assert_true(cons_client_normalize(S("/[fe80:0:0:0:0:0:0:1%lo]:5"), out, sizeof out));
    assert_string_equal(out, "[fe80:0:0:0:0:0:0:1%lo]:5");
    assert_false(cons_client_normalize(S("/[::1]5"), out, sizeof out));
    assert_false(cons_client_normalize(S("/::1:"), out, sizeof out));
}

static void test_whole_answers(void **state)
{
    struct cons_answer a;
    char *cut;
    (void)state;
    assert_int_equal(cons_parse(S(cons_v4), &a), CONS_OK);
    assert_int_equal(a.lines, 2);
    assert_int_equal(a.n, 1); /* the asking connection has no session */
    cons_answer_free(&a);
    assert_int_equal(cons_parse(S(refused), &a), CONS_NOT_ALLOWED);
    assert_int_equal(a.n, 0);
    cons_answer_free(&a);
    assert_int_equal(
        cons_parse(S("This ZooKeeper instance is not currently serving requests\n"), &a),
        CONS_NOT_SERVING);
    cons_answer_free(&a);
    assert_int_equal(cons_parse("", 0, &a), CONS_BAD);
    cons_answer_free(&a);
    assert_int_equal(cons_parse(S("Zookeeper version: 3.8.0\nMode: standalone\n"), &a), CONS_BAD);
    cons_answer_free(&a);
    /* Cut short (the asker's limit): the last, partial line is not read. */
    cut = strndup(cons_v4, strlen(cons_v4) - 30);
    assert_int_equal(cons_parse(cut, strlen(cut), &a), CONS_OK);
    assert_int_equal(a.lines, 1);
    assert_int_equal(a.n, 1);
    cons_answer_free(&a);
    free(cut);
}

static void test_many_sessions_and_find(void **state)
{
    char *text = malloc(300 * 200 + 1);
    size_t len = 0, at = 99;
    struct cons_server srv[2];
    const struct cons_conn *c;
    (void)state;
    for (int i = 0; i < 300; i++)
        len += (size_t)sprintf(text + len,
                               " /127.0.0.1:%d[1](queued=%d,recved=1,sent=1,sid=0x%x,lop=PING)\n",
                               20000 + i, i % 3, 0x1000 + i);
    memset(srv, 0, sizeof srv);
    snprintf(srv[0].name, sizeof srv[0].name, "a:1");
    srv[0].state = CONS_REFUSED;
    snprintf(srv[1].name, sizeof srv[1].name, "b:1");
    srv[1].state = CONS_ANSWERED;
    assert_int_equal(cons_parse(text, len, &srv[1].ans), CONS_OK);
    assert_int_equal(srv[1].ans.n, 300);
    c = cons_find(srv, 2, 0x1000 + 250, &at);
    assert_non_null(c);
    assert_int_equal(at, 1);
    assert_string_equal(c->client, "127.0.0.1:20250");
    assert_int_equal(c->queued, 250 % 3);
    assert_null(cons_find(srv, 2, 0x42, &at));
    cons_answer_free(&srv[1].ans);
    free(text);
}

/* ---- grouping --------------------------------------------------------------- */

struct fixture {
    struct store *s;
    struct monitor mo;
    struct event_log log;
    struct need_list needs;
    struct sess_list l;
};

static int setup(void **state)
{
    static const char *const services[] = { "/servers" };
    struct fixture *f = calloc(1, sizeof *f);
    f->s = store_new();
    monitor_init(&f->mo, NULL, 0, (char *const *)services, 1);
    events_init(&f->log, 100);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sessions_free(&f->l);
    monitor_free(&f->mo);
    events_free(&f->log);
    need_free(&f->needs);
    store_free(f->s);
    free(f);
    return 0;
}

/* A child list of path, as a read answers it (watched or not). */
static void kids(struct fixture *f, const char *path, const char *const *names, size_t n,
                 bool watched)
{
    struct msg *m = calloc(1, sizeof *m);
    struct node *node;
    m->kind = MSG_CHILDREN;
    m->path = strdup(path);
    m->res = ZRES_OK;
    m->tag = watched ? TAG_WATCH : 0;
    m->names = calloc(n + 1, sizeof *m->names);
    for (size_t i = 0; i < n; i++)
        m->names[i] = strdup(names[i]);
    m->n_names = (int32_t)n;
    m->has_stat = true;
    m->stat.num_children = (int32_t)n;
    store_ensure(f->s, path);
    store_apply(f->s, m, &f->needs);
    msg_free(m);
    if ((node = store_get(f->s, path)))
        monitor_children(&f->mo, f->s, node, 1000000, &f->log, &f->needs);
}

/* The Stat of path: owner (0: persistent) and ctime. */
static void stat_of(struct fixture *f, const char *path, int64_t owner, int64_t ctime)
{
    struct msg *m = calloc(1, sizeof *m);
    m->kind = MSG_DATA;
    m->path = strdup(path);
    m->res = ZRES_OK;
    m->data = strdup("x");
    m->data_len = 1;
    m->has_stat = true;
    m->stat.ephemeral_owner = owner;
    m->stat.ctime = ctime;
    m->stat.version = 3;
    store_apply(f->s, m, &f->needs);
    msg_free(m);
}

/* Session 0xa: holds /locks/job, is a member of /servers, owns /app/tmp-a;
 * 0xb waits for /locks/job and is a member; 0xc (zktui) owns /app/mine;
 * /app/keep is persistent; /hidden/e is an ephemeral whose parent is
 * not watched (read by a scan: not current). */
static void a_tree(struct fixture *f)
{
    static const char *const top[] = { "app", "hidden", "locks", "servers" };
    static const char *const locks[] = { "job" };
    static const char *const job[] = { "seq-0000000001", "seq-0000000000" };
    static const char *const servers[] = { "web-a", "web-b" };
    static const char *const app[] = { "keep", "mine", "tmp-a" };
    static const char *const hidden[] = { "e" };
    kids(f, "/", top, N(top), true);
    kids(f, "/locks", locks, N(locks), true);
    kids(f, "/locks/job", job, N(job), true);
    kids(f, "/servers", servers, N(servers), true);
    kids(f, "/app", app, N(app), true);
    kids(f, "/hidden", hidden, N(hidden), false);
    stat_of(f, "/locks/job/seq-0000000000", 0xa, 5000);
    stat_of(f, "/locks/job/seq-0000000001", 0xb, 6000);
    stat_of(f, "/servers/web-a", 0xa, 4000);
    stat_of(f, "/servers/web-b", 0xb, 7000);
    stat_of(f, "/app/tmp-a", 0xa, 4500);
    stat_of(f, "/app/keep", 0, 100);
    stat_of(f, "/app/mine", 0xc, 9000);
    stat_of(f, "/hidden/e", 0xd, 1);
    monitor_refresh(&f->mo, f->s, 1000000, &f->log, &f->needs);
}

static void test_groups_by_owner_most_nodes_first(void **state)
{
    struct fixture *f = *state;
    const struct sess_group *g;
    char role[128];
    a_tree(f);
    assert_true(sessions_build(&f->l, f->s, &f->mo, 0xc));
    assert_int_equal(f->l.n, 3);
    assert_int_equal(f->l.ne, 6);
    /* read and current: the 4 top nodes, /locks/job, 2 contenders,
     * 2 members, 3 under /app (not /hidden/e, not the root) */
    assert_int_equal(f->l.read, 12);
    g = &f->l.v[0];
    assert_true(g->sid == 0xa);
    assert_int_equal(g->n, 3);
    assert_int_equal(g->oldest, 4000);
    assert_false(g->own);
    /* by path within a group */
    assert_string_equal(g->e[0].node->path, "/app/tmp-a");
    assert_string_equal(g->e[1].node->path, "/locks/job/seq-0000000000");
    assert_string_equal(g->e[2].node->path, "/servers/web-a");
    sess_entry_role(&g->e[0], role, sizeof role);
    assert_string_equal(role, "");
    sess_entry_role(&g->e[1], role, sizeof role);
    assert_string_equal(role, "holder of /locks/job");
    sess_entry_role(&g->e[2], role, sizeof role);
    assert_string_equal(role, "member of /servers");
    g = &f->l.v[1];
    assert_true(g->sid == 0xb);
    assert_int_equal(g->n, 2);
    sess_entry_role(&g->e[0], role, sizeof role);
    assert_string_equal(role, "waiting for /locks/job");
    g = &f->l.v[2];
    assert_true(g->sid == 0xc && g->own && g->n == 1);
    assert_null(sessions_find(&f->l, 0xd)); /* not current: not shown */
    assert_non_null(sessions_find(&f->l, 0xb));
}

static void test_nothing_read_yet(void **state)
{
    struct fixture *f = *state;
    assert_true(sessions_build(&f->l, f->s, &f->mo, 0));
    assert_int_equal(f->l.n, 0);
    assert_int_equal(f->l.ne, 0);
    assert_int_equal(f->l.read, 0);
    assert_null(sessions_find(&f->l, 0x1));
}

static void test_equal_counts_oldest_first(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "x" };
    static const char *const x[] = { "a1", "b1", "b2", "c1", "c2" };
    kids(f, "/", top, N(top), true);
    kids(f, "/x", x, N(x), true);
    stat_of(f, "/x/a1", 0x1, 1);
    stat_of(f, "/x/b1", 0x2, 300);
    stat_of(f, "/x/b2", 0x2, 200);
    stat_of(f, "/x/c1", 0x3, 250);
    stat_of(f, "/x/c2", 0x3, 100);
    assert_true(sessions_build(&f->l, f->s, &f->mo, 0));
    assert_int_equal(f->l.n, 3);
    assert_true(f->l.v[0].sid == 0x3); /* 2 nodes, the oldest from 100 */
    assert_true(f->l.v[1].sid == 0x2);
    assert_true(f->l.v[2].sid == 0x1);
    /* a node gone from its parent's list is gone from the view */
    {
        static const char *const fewer[] = { "a1", "b1", "b2", "c1" };
        kids(f, "/x", fewer, N(fewer), true);
    }
    assert_true(sessions_build(&f->l, f->s, &f->mo, 0));
    assert_true(f->l.v[0].sid == 0x2);
    assert_true(f->l.v[1].sid == 0x1); /* 1 node each: the oldest first */
    assert_true(f->l.v[2].sid == 0x3);
    assert_int_equal(f->l.v[2].n, 1);
    assert_int_equal(f->l.v[2].oldest, 250);
}

static void test_group_roles(void **state)
{
    struct fixture *f = *state;
    char buf[256], small[48];
    a_tree(f);
    assert_true(sessions_build(&f->l, f->s, &f->mo, 0));
    sess_group_roles(&f->l.v[0], buf, sizeof buf);
    assert_string_equal(buf, "holder of /locks/job, member of /servers, 1 other node");
    sess_group_roles(&f->l.v[2], buf, sizeof buf);
    assert_string_equal(buf, "1 other node");
    /* too long: cut, saying how many more */
    sess_group_roles(&f->l.v[0], small, sizeof small);
    assert_string_equal(small, "holder of /locks/job, and 1 more");
}

static void test_many_members_of_one_registry_once(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "servers" };
    static const char *const members[] = { "m1", "m2", "m3" };
    char buf[128];
    kids(f, "/", top, N(top), true);
    kids(f, "/servers", members, N(members), true);
    for (size_t i = 0; i < N(members); i++) {
        char p[32];
        snprintf(p, sizeof p, "/servers/%s", members[i]);
        stat_of(f, p, 0x77, 10);
    }
    monitor_refresh(&f->mo, f->s, 1000000, &f->log, &f->needs);
    assert_true(sessions_build(&f->l, f->s, &f->mo, 0));
    assert_int_equal(f->l.n, 1);
    sess_group_roles(&f->l.v[0], buf, sizeof buf);
    assert_string_equal(buf, "member of /servers");
}

/* ---- the asker, against sockets served here --------------------------------------- */

/* A loopback server answering each connection with answer once it has
 * read the 4-letter word; with accepting false it never accepts. */
struct fake {
    int lfd, cfd, port;
    const char *answer;
    size_t len, got, put;
    bool accepting;
    char word[5];
};

static void fake_start(struct fake *f, const char *answer, size_t len, bool accepting)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    memset(f, 0, sizeof *f);
    f->cfd = -1;
    f->answer = answer;
    f->len = len;
    f->accepting = accepting;
    f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(f->lfd >= 0);
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(f->lfd, 8), 0);
    assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &al), 0);
    f->port = ntohs(a.sin_port);
}

static void fake_stop(struct fake *f)
{
    if (f->cfd >= 0)
        close(f->cfd);
    close(f->lfd);
}

static void fake_pollfd(const struct fake *f, struct pollfd *p)
{
    p->fd = f->cfd >= 0 ? f->cfd : f->accepting ? f->lfd : -1;
    p->events = f->cfd >= 0 && f->got >= 4 ? POLLOUT : POLLIN;
    p->revents = 0;
}

static void fake_run(struct fake *f)
{
    ssize_t k;
    if (f->cfd < 0) {
        if ((f->cfd = accept(f->lfd, NULL, NULL)) >= 0) {
            fcntl(f->cfd, F_SETFL, O_NONBLOCK);
            f->got = f->put = 0;
        }
        return;
    }
    if (f->got < 4) {
        if ((k = read(f->cfd, f->word + f->got, 4 - f->got)) > 0)
            f->got += (size_t)k;
        return;
    }
    k = send(f->cfd, f->answer + f->put, f->len - f->put, MSG_NOSIGNAL);
    if (k > 0)
        f->put += (size_t)k;
    if ((k < 0 && errno != EAGAIN) || f->put == f->len) {
        close(f->cfd);
        f->cfd = -1;
    }
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct outcome {
    int calls;
    size_t target;
    bool ok, cut;
    char text[512];
    size_t len;
    char why[128];
};

static void record(void *ctx, size_t target, const struct fourlw_result *r)
{
    struct outcome *o = ctx;
    o->calls++;
    o->target = target;
    o->ok = r->ok;
    o->cut = r->cut;
    o->len = r->len;
    memcpy(o->text, r->text, r->len < sizeof o->text ? r->len : sizeof o->text - 1);
    o->text[r->len < sizeof o->text ? r->len : sizeof o->text - 1] = '\0';
    snprintf(o->why, sizeof o->why, "%s", r->why);
}

/* One round against the fake at its port; returns what was reported. */
static struct outcome ask(struct fake *fk, int port, size_t max, int timeout_ms)
{
    struct fourlw *f = fourlw_new("cons", max, timeout_ms);
    struct fourlw_target t;
    struct outcome o = { 0 };
    char hp[32];
    long long deadline = mono_ms() + 5000;
    snprintf(hp, sizeof hp, "127.0.0.1:%d", port);
    assert_non_null(f);
    assert_true(fourlw_target_numeric(&t, hp));
    assert_true(fourlw_start(f, &t, 1, mono_ms()));
    assert_true(fourlw_busy(f));
    assert_false(fourlw_start(f, &t, 1, mono_ms())); /* one round at a time */
    while (fourlw_busy(f) && mono_ms() < deadline) {
        struct pollfd fds[2];
        int n = fourlw_pollfds(f, fds, 1);
        fake_pollfd(fk, &fds[n]);
        assert_true(poll(fds, (nfds_t)n + 1, fourlw_timeout(f, mono_ms())) >= 0);
        if (fds[n].revents)
            fake_run(fk);
        fourlw_run(f, fds, n, mono_ms(), record, &o);
    }
    assert_false(fourlw_busy(f));
    assert_int_equal(fourlw_timeout(f, mono_ms()), -1); /* nothing going: no timer */
    fourlw_free(f);
    return o;
}

static void test_asker_answers(void **state)
{
    struct fake fk;
    struct outcome o;
    (void)state;
    fake_start(&fk, S(cons_v4), true);
    o = ask(&fk, fk.port, 1 << 20, 1000);
    assert_int_equal(o.calls, 1);
    assert_true(o.ok);
    assert_false(o.cut);
    assert_string_equal(fk.word, "cons");
    assert_int_equal(o.len, strlen(cons_v4));
    assert_string_equal(o.text, cons_v4);
    /* capped: cut, and said so */
    o = ask(&fk, fk.port, 40, 1000);
    assert_true(o.ok && o.cut);
    assert_int_equal(o.len, 40);
    fake_stop(&fk);
}

static void test_asker_refused_and_timed_out(void **state)
{
    struct fake fk;
    struct outcome o;
    int port;
    (void)state;
    fake_start(&fk, "", 0, false);
    port = fk.port;
    fake_stop(&fk); /* nothing listens there now */
    fake_start(&fk, "", 0, false);
    o = ask(&fk, port, 1024, 1000);
    assert_int_equal(o.calls, 1);
    assert_false(o.ok);
    assert_string_equal(o.why, "connection refused");
    /* accepted by the kernel, never answered */
    o = ask(&fk, fk.port, 1024, 60);
    assert_false(o.ok);
    assert_string_equal(o.why, "timed out");
    fake_stop(&fk);
}

static void test_targets(void **state)
{
    struct fourlw_target a, b;
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST }, *ai;
    (void)state;
    assert_true(fourlw_target_numeric(&a, "127.0.0.1:2181"));
    assert_true(fourlw_target_numeric(&b, "::1:2181"));
    assert_false(fourlw_target_same(&a, &b));
    assert_true(fourlw_target_numeric(&b, "[::1]:2181"));
    assert_int_equal(b.naddr, 1);
    assert_false(fourlw_target_numeric(&b, "localhost:2181")); /* never a lookup */
    assert_false(fourlw_target_numeric(&b, "127.0.0.1"));
    assert_false(fourlw_target_numeric(&b, "127.0.0.1:0"));
    assert_false(fourlw_target_numeric(&b, "127.0.0.1:99999"));
    assert_int_equal(getaddrinfo("127.0.0.1", "2181", &hints, &ai), 0);
    fourlw_target_ai(&b, "zk1:2181", ai);
    freeaddrinfo(ai);
    assert_string_equal(b.name, "zk1:2181");
    assert_true(fourlw_target_same(&a, &b));
    assert_true(fourlw_target_numeric(&b, "127.0.0.1:2182"));
    assert_false(fourlw_target_same(&a, &b));
    fourlw_target_ai(&b, "nowhere:1", NULL);
    assert_int_equal(b.naddr, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_real_line),
        cmocka_unit_test(test_lines_without_a_session_and_odd_ones),
        cmocka_unit_test(test_ipv6_addresses),
        cmocka_unit_test(test_whole_answers),
        cmocka_unit_test(test_many_sessions_and_find),
        cmocka_unit_test_setup_teardown(test_groups_by_owner_most_nodes_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_read_yet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_equal_counts_oldest_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_members_of_one_registry_once, setup, teardown),
        cmocka_unit_test(test_asker_answers),
        cmocka_unit_test(test_asker_refused_and_timed_out),
        cmocka_unit_test(test_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
