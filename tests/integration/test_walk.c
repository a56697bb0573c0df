/* Bulk walks (src/zk/walk.c) against a real server (ZK_HOST): every node
 * read once, within the window, no watch left on the server, data read
 * when asked; cancelled mid-walk, with the session closed or renewed under
 * it, freed cleanly (the ASan build checks the leaks and the use after
 * free). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <zookeeper/zookeeper.h>

#include "model/queue.h"
#include "zk/session.h"
#include "zk/walk.h"

#include "itest.h"

#define KIDS 10   /* children of the base */
#define LEAVES 30 /* children of each */
#define NODES (1 + KIDS + KIDS * LEAVES)

struct t {
    struct queue *q;
    struct zk *zk;
    zhandle_t *other; /* builds the tree */
    FILE *log;
    char base[64];
};

/* What a walk sent us, by kind. */
struct seen {
    long lists, names, data, ends, others, nonode;
    long data_bytes;
    int end_rc;
};

/* Takes messages for up to ms, counting those of walk id; stops at its
 * end when until_end. */
static void pump(struct t *t, uint16_t id, struct seen *s, int ms, bool until_end)
{
    long long end = now_ms() + ms;
    while (now_ms() < end && !(until_end && s->ends)) {
        struct pollfd p = { queue_fd(t->q), POLLIN, 0 };
        struct msg *m;
        poll(&p, 1, 20);
        for (m = queue_take_all(t->q); m;) {
            struct msg *next = m->next;
            if (!(m->tag & TAG_SCAN) || zk_walk_id(m->tag) != id)
                s->others += m->kind != MSG_SESSION;
            else if (m->kind == MSG_WALK_END)
                s->ends++, s->end_rc = m->rc;
            else if (m->kind == MSG_CHILDREN && m->res == ZRES_NONODE)
                s->nonode++;
            else if (m->kind == MSG_CHILDREN)
                s->lists++, s->names += m->n_names;
            else if (m->kind == MSG_DATA)
                s->data++, s->data_bytes += m->data_len;
            msg_free(m);
            m = next;
        }
    }
}

static bool connected(struct t *t)
{
    struct seen s = { 0 };
    for (int i = 0; i < 100; i++) {
        if (zk_session_id(t->zk) != 0)
            return true;
        pump(t, 0, &s, 50, false);
    }
    return false;
}

/* The server's count of armed watches, from mntr (-1: no answer). */
static long server_watches(void)
{
    const char *h = host(), *colon = strrchr(h, ':');
    struct sockaddr_in sa = { .sin_family = AF_INET };
    char buf[16384], *p;
    size_t got = 0;
    ssize_t n;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sa.sin_port = htons((uint16_t)atoi(colon ? colon + 1 : "2181"));
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        write(fd, "mntr", 4) != 4) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    while (got < sizeof buf - 1 && (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)n;
    close(fd);
    buf[got] = '\0';
    p = strstr(buf, "zk_watch_count");
    return p ? atol(p + strlen("zk_watch_count")) : -1;
}

static int created;
static void created_cb(int rc, const char *value, const void *data)
{
    (void)value, (void)data;
    if (rc == ZOK)
        __atomic_add_fetch(&created, 1, __ATOMIC_SEQ_CST);
}

static int deleted;
static void deleted_cb(int rc, const void *data)
{
    (void)rc, (void)data;
    __atomic_add_fetch(&deleted, 1, __ATOMIC_SEQ_CST);
}

static int setup(void **state)
{
    static struct t t;
    char err[256], p[128];
    memset(&t, 0, sizeof t);
    t.log = fopen("/dev/null", "w");
    zoo_set_log_stream(t.log);
    t.q = queue_new();
    if (!(t.zk = zk_new(t.q, host(), 10000, t.log, err, sizeof err)) || !connected(&t))
        return -1;
    t.other = zookeeper_init(host(), NULL, 10000, NULL, NULL, 0);
    for (int i = 0; i < 50 && zoo_state(t.other) != ZOO_CONNECTED_STATE; i++)
        usleep(100000);
    snprintf(t.base, sizeof t.base, "/walk-%ld", (long)getpid());
    created = 0;
    /* Pipelined: one session applies them in order, parents first. */
    zoo_acreate(t.other, t.base, "top", 3, &ZOO_OPEN_ACL_UNSAFE, 0, created_cb, NULL);
    for (int i = 0; i < KIDS; i++) {
        snprintf(p, sizeof p, "%s/k%02d", t.base, i);
        zoo_acreate(t.other, p, "kid", 3, &ZOO_OPEN_ACL_UNSAFE, 0, created_cb, NULL);
        for (int j = 0; j < LEAVES; j++) {
            char leaf[160];
            snprintf(leaf, sizeof leaf, "%s/l%03d", p, j);
            zoo_acreate(t.other, leaf, "leaf!", 5, &ZOO_OPEN_ACL_UNSAFE, 0, created_cb, NULL);
        }
    }
    for (int i = 0; i < 200 && __atomic_load_n(&created, __ATOMIC_SEQ_CST) < NODES; i++)
        usleep(50000);
    if (created != NODES)
        return -1;
    *state = &t;
    return 0;
}

static int teardown(void **state)
{
    struct t *t = *state;
    char p[128];
    deleted = 0;
    for (int i = 0; i < KIDS; i++) {
        for (int j = 0; j < LEAVES; j++) {
            snprintf(p, sizeof p, "%s/k%02d/l%03d", t->base, i, j);
            zoo_adelete(t->other, p, -1, deleted_cb, NULL);
        }
        snprintf(p, sizeof p, "%s/k%02d", t->base, i);
        zoo_adelete(t->other, p, -1, deleted_cb, NULL);
    }
    for (int i = 0; i < 200 && __atomic_load_n(&deleted, __ATOMIC_SEQ_CST) < NODES - 1; i++)
        usleep(50000);
    zoo_delete(t->other, t->base, -1);
    zookeeper_close(t->other);
    zk_free(t->zk);
    queue_free(t->q);
    fclose(t->log);
    return 0;
}

static void test_every_node_once_within_the_window(void **state)
{
    struct t *t = *state;
    struct seen s = { 0 };
    struct walk_stats st;
    long before = server_watches();
    struct zk_walk *w = zk_walk_start(t->zk, t->base, 8, 0, 7);
    assert_non_null(w);
    pump(t, 7, &s, 10000, true);
    assert_int_equal(s.ends, 1);
    assert_int_equal(s.end_rc, 0);
    assert_int_equal(s.lists, NODES);
    assert_int_equal(s.names, NODES - 1);
    assert_int_equal(s.data, 0);
    assert_int_equal(s.others, 0);
    zk_walk_stats(w, &st);
    assert_true(st.done);
    assert_int_equal(st.listed, NODES);
    assert_int_equal(st.sent, NODES);
    assert_int_equal(st.in_flight, 0);
    assert_true(st.peak >= 2 && st.peak <= 8);
    print_message("%d nodes, at most %ld in flight, %lld ms\n", NODES, st.peak,
                  st.ended_ms - st.started_ms);
    /* The walk's reads are not the session's own in-flight ones. */
    assert_int_equal(zk_in_flight(t->zk), 0);
    /* No watch left behind. */
    assert_int_equal(server_watches(), before);
    zk_walk_release(w);
}

static void test_data_and_no_names(void **state)
{
    struct t *t = *state;
    struct seen s = { 0 };
    struct walk_stats st;
    struct zk_walk *w = zk_walk_start(t->zk, t->base, 1000, WALK_DATA | WALK_NO_NAMES, 8);
    assert_non_null(w);
    pump(t, 8, &s, 10000, true);
    assert_int_equal(s.ends, 1);
    assert_int_equal(s.lists, NODES);
    assert_int_equal(s.names, 0);
    assert_int_equal(s.data, NODES);
    assert_int_equal(s.data_bytes, 3 + KIDS * 3 + KIDS * LEAVES * 5);
    zk_walk_stats(w, &st);
    assert_int_equal(st.data, NODES);
    zk_walk_release(w);
}

static void test_missing_top(void **state)
{
    struct t *t = *state;
    struct seen s = { 0 };
    struct walk_stats st;
    char p[128];
    struct zk_walk *w;
    snprintf(p, sizeof p, "%s/none", t->base);
    w = zk_walk_start(t->zk, p, 10, 0, 9);
    assert_non_null(w);
    pump(t, 9, &s, 5000, true);
    assert_int_equal(s.nonode, 1);
    assert_int_equal(s.lists, 0);
    assert_int_equal(s.ends, 1);
    zk_walk_stats(w, &st);
    assert_int_equal(st.gone, 1);
    zk_walk_release(w);
}

static void test_cancel_mid_walk(void **state)
{
    struct t *t = *state;
    struct seen s = { 0 }, after = { 0 };
    /* One read at a time: 311 answers one after the other, so released
     * at the first, most of the tree is never read. */
    struct zk_walk *w = zk_walk_start(t->zk, t->base, 1, 0, 10);
    assert_non_null(w);
    while (s.lists == 0 && !s.ends)
        pump(t, 10, &s, 1, false);
    zk_walk_release(w);
    /* What was in flight comes back and is dropped: at most the few
     * answers already made into messages, and no end. */
    pump(t, 10, &after, 500, false);
    print_message("released after %ld lists; %ld more came\n", s.lists, after.lists);
    assert_true(s.lists + after.lists < NODES / 2);
    assert_int_equal(after.ends, 0);
    assert_int_equal(s.ends, 0);
}

static void test_session_closed_under_it(void **state)
{
    struct t *t = *state;
    struct seen s = { 0 };
    struct walk_stats st;
    char err[256];
    struct zk *z2 = zk_new(t->q, host(), 10000, t->log, err, sizeof err);
    struct zk_walk *w;
    assert_non_null(z2);
    for (int i = 0; i < 100 && zk_session_id(z2) == 0; i++)
        pump(t, 0, &s, 50, false);
    w = zk_walk_start(z2, t->base, 1000, WALK_DATA, 11);
    assert_non_null(w);
    pump(t, 11, &s, 5, false);
    /* The session goes with reads in flight; the walk outlives it. */
    zk_free(z2);
    zk_walk_stats(w, &st);
    assert_int_equal(st.in_flight, 0);
    assert_true(st.done);
    zk_walk_release(w);
    memset(&s, 0, sizeof s);
    pump(t, 11, &s, 100, false); /* whatever it pushed before going */
}

static void test_renewed_under_it(void **state)
{
    struct t *t = *state;
    struct seen s = { 0 };
    struct walk_stats st;
    char err[256];
    struct zk_walk *w = zk_walk_start(t->zk, t->base, 1000, 0, 12);
    uint32_t epoch = zk_epoch(t->zk);
    assert_non_null(w);
    /* As after an expiry: a new handle; the old one's reads are gone. */
    assert_true(zk_renew(t->zk, err, sizeof err));
    assert_int_not_equal(zk_epoch(t->zk), epoch);
    zk_walk_stats(w, &st);
    assert_true(st.done);
    assert_int_equal(st.in_flight, 0);
    zk_walk_release(w);
    assert_true(connected(t));
    /* The new session walks as well as the old. */
    w = zk_walk_start(t->zk, t->base, 1000, 0, 13);
    assert_non_null(w);
    pump(t, 13, &s, 10000, true);
    assert_int_equal(s.lists, NODES);
    zk_walk_release(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_node_once_within_the_window),
        cmocka_unit_test(test_data_and_no_names),
        cmocka_unit_test(test_missing_top),
        cmocka_unit_test(test_cancel_mid_walk),
        cmocka_unit_test(test_session_closed_under_it),
        cmocka_unit_test(test_renewed_under_it),
    };
    return cmocka_run_group_tests_name("bulk walks", tests, setup, teardown);
}
