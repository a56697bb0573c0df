/* The zk layer and the store against a real server (ZK_HOST in the
 * environment): replies and watch events cross the queue, watches are
 * re-armed, and the store converges to the server's state after changes made
 * by another client. */
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

#include <cmocka.h>
#include <zookeeper/zookeeper.h>

#include "model/queue.h"
#include "model/store.h"
#include "zk/session.h"

#include "itest.h"

struct live {
    struct queue *q;
    struct zk *zk;
    struct store *store;
    struct need_list needs;
    enum conn_state state;
    zhandle_t *other; /* a second client making changes */
    FILE *log;
    char base[64];
};

/* What the UI loop does, minus curses: apply, then send what is needed. */
static void pump(struct live *l, int timeout_ms)
{
    struct pollfd p = { queue_fd(l->q), POLLIN, 0 };
    struct msg *m;
    if (poll(&p, 1, timeout_ms) <= 0)
        return;
    for (m = queue_take_all(l->q); m;) {
        struct msg *next = m->next;
        if (m->kind == MSG_SESSION)
            l->state = m->state;
        else {
            if (m->kind != MSG_WATCH)
                zk_reply_taken(l->zk);
            store_apply(l->store, m, &l->needs);
        }
        msg_free(m);
        m = next;
    }
    for (size_t i = 0; i < l->needs.n; i++) {
        if (l->needs.v[i].kind == NEED_KIDS)
            zk_get_children(l->zk, l->needs.v[i].path, true, 0);
        else if (l->needs.v[i].kind == NEED_DATA)
            zk_get_data(l->zk, l->needs.v[i].path, true, 0);
    }
    need_clear(&l->needs);
}

typedef bool (*pred_fn)(struct live *l, const char *arg);

/* Pumps until pred holds, for at most 5 s; the ms it took, or -1. */
static long long wait_for(struct live *l, pred_fn pred, const char *arg)
{
    long long t0 = now_ms();
    while (now_ms() - t0 < 5000) {
        if (pred(l, arg))
            return now_ms() - t0;
        pump(l, 20);
    }
    return -1;
}

static bool connected(struct live *l, const char *arg)
{
    (void)arg;
    return l->state == CONN_CONNECTED;
}

static bool present(struct live *l, const char *path)
{
    return store_get(l->store, path) != NULL;
}

static bool absent(struct live *l, const char *path)
{
    return store_get(l->store, path) == NULL;
}

static bool idle(struct live *l, const char *arg)
{
    (void)arg;
    return zk_in_flight(l->zk) == 0;
}

static bool data_is(struct live *l, const char *want)
{
    struct node *n = store_get(l->store, l->base);
    return n && (n->flags & NODE_HAS_DATA) && node_data(n) && strcmp(node_data(n), want) == 0;
}

static void path_of(struct live *l, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", l->base, name);
}

static int setup(void **state)
{
    static struct live l;
    char err[256];
    memset(&l, 0, sizeof l);
    l.log = fopen("/dev/null", "w");
    zoo_set_log_stream(l.log);
    l.q = queue_new();
    l.store = store_new();
    l.zk = zk_new(l.q, host(), 10000, l.log, err, sizeof err);
    if (!l.zk)
        return -1;
    l.other = zookeeper_init(host(), NULL, 10000, NULL, NULL, 0);
    snprintf(l.base, sizeof l.base, "/itest-%ld", (long)getpid());
    if (wait_for(&l, connected, NULL) < 0)
        return -1;
    for (int i = 0; i < 50 && zoo_state(l.other) != ZOO_CONNECTED_STATE; i++)
        usleep(100000);
    if (zoo_create(l.other, l.base, "v0", 2, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0) != ZOK)
        return -1;
    *state = &l;
    return 0;
}

static int teardown(void **state)
{
    struct live *l = *state;
    char p[128];
    path_of(l, "kid", p, sizeof p);
    zoo_delete(l->other, p, -1);
    zoo_delete(l->other, l->base, -1);
    zookeeper_close(l->other);
    zk_free(l->zk);
    queue_free(l->q);
    store_free(l->store);
    need_free(&l->needs);
    fclose(l->log);
    return 0;
}

static void test_expanded_node_sees_creates_and_deletes_by_another_client(void **state)
{
    struct live *l = *state;
    struct node *n = store_ensure(l->store, l->base);
    char kid[128];
    long long ms;
    path_of(l, "kid", kid, sizeof kid);
    n->flags |= NODE_EXPANDED;
    assert_true(zk_get_children(l->zk, l->base, true, 0));
    assert_true(wait_for(l, idle, NULL) >= 0);
    assert_true(n->flags & NODE_WATCH_KIDS);
    assert_int_equal(n->nkids, 0);

    assert_int_equal(zoo_create(l->other, kid, "x", 1, &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL, NULL, 0), ZOK);
    ms = wait_for(l, present, kid);
    assert_true(ms >= 0);
    print_message("create seen after %lld ms\n", ms);
    assert_true(wait_for(l, idle, NULL) >= 0);
    assert_true(n->flags & NODE_WATCH_KIDS); /* re-armed */

    assert_int_equal(zoo_delete(l->other, kid, -1), ZOK);
    ms = wait_for(l, absent, kid);
    assert_true(ms >= 0);
    print_message("delete seen after %lld ms\n", ms);
}

static void test_fast_changes_converge_to_the_last_state(void **state)
{
    struct live *l = *state;
    struct node *n = store_ensure(l->store, l->base);
    char kid[128];
    path_of(l, "kid", kid, sizeof kid);
    n->flags |= NODE_EXPANDED;
    zk_get_children(l->zk, l->base, true, 0);
    wait_for(l, idle, NULL);
    /* Twenty creates and deletes faster than one-shot watches can follow:
     * only the final state (present) must show. */
    for (int i = 0; i < 20; i++) {
        zoo_create(l->other, kid, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);
        if (i < 19)
            zoo_delete(l->other, kid, -1);
    }
    assert_true(wait_for(l, present, kid) >= 0);
    assert_true(wait_for(l, idle, NULL) >= 0);
    pump(l, 200);
    assert_non_null(store_get(l->store, kid));
    assert_int_equal(n->nkids, 1);
}

static void test_selected_node_data_is_live(void **state)
{
    struct live *l = *state;
    struct node *n = store_ensure(l->store, l->base);
    n->flags |= NODE_SELECTED;
    assert_true(zk_get_data(l->zk, l->base, true, 0));
    assert_true(wait_for(l, data_is, "v0") >= 0);
    assert_true(n->flags & NODE_WATCH_DATA);
    assert_int_equal(zoo_set(l->other, l->base, "v1", 2, -1), ZOK);
    assert_true(wait_for(l, data_is, "v1") >= 0);
    assert_int_equal(zoo_set(l->other, l->base, "v2", 2, -1), ZOK);
    assert_true(wait_for(l, data_is, "v2") >= 0);
    assert_int_equal(n->stat.version, 2);
}

static void test_missing_node_reads_as_nonode(void **state)
{
    struct live *l = *state;
    char p[128];
    path_of(l, "missing", p, sizeof p);
    store_ensure(l->store, p);
    zk_exists(l->zk, p, 0);
    assert_true(wait_for(l, absent, p) >= 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expanded_node_sees_creates_and_deletes_by_another_client),
        cmocka_unit_test(test_fast_changes_converge_to_the_last_state),
        cmocka_unit_test(test_selected_node_data_is_live),
        cmocka_unit_test(test_missing_node_reads_as_nonode),
    };
    return cmocka_run_group_tests_name("zk live", tests, setup, teardown);
}
