/* The monitor: locks found in the store (every naming style, read/write
 * holder sets, semaphores), holder changes as events, registry diffs as
 * ONLINE/OFFLINE events, the contention figures. Replies are made by hand
 * and applied as the UI applies the server's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/monitor.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct fixture {
    struct store *s;
    struct monitor mo;
    struct event_log log;
    struct need_list needs;
    int64_t now;
};

static int setup(void **state)
{
    static const char *const services[] = { "/servers" };
    struct fixture *f = calloc(1, sizeof *f);
    f->s = store_new();
    monitor_init(&f->mo, NULL, 0, (char *const *)services, 1);
    events_init(&f->log, 100);
    f->now = 1000000;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    monitor_free(&f->mo);
    events_free(&f->log);
    need_free(&f->needs);
    store_free(f->s);
    free(f);
    return 0;
}

/* A child list of path, as a watched read answers it, then what the UI
 * does after each one. */
static void kids_tagged(struct fixture *f, const char *path, const char *const *names, size_t n,
                        int32_t cversion, uint32_t tag);

static void kids(struct fixture *f, const char *path, const char *const *names, size_t n,
                 int32_t cversion)
{
    kids_tagged(f, path, names, n, cversion, TAG_WATCH);
}

static void kids_tagged(struct fixture *f, const char *path, const char *const *names, size_t n,
                        int32_t cversion, uint32_t tag)
{
    struct msg *m = calloc(1, sizeof *m);
    struct node *node;
    m->kind = MSG_CHILDREN;
    m->path = strdup(path);
    m->res = ZRES_OK;
    m->tag = tag;
    m->names = calloc(n + 1, sizeof *m->names);
    for (size_t i = 0; i < n; i++)
        m->names[i] = strdup(names[i]);
    m->n_names = (int32_t)n;
    m->has_stat = true;
    m->stat.cversion = cversion;
    m->stat.num_children = (int32_t)n;
    store_ensure(f->s, path);
    store_apply(f->s, m, &f->needs);
    msg_free(m);
    if ((node = store_get(f->s, path)))
        monitor_children(&f->mo, f->s, node, f->now, &f->log, &f->needs);
}

/* The data and stat of path, as a NEED_INFO read answers. */
static void info(struct fixture *f, const char *path, int64_t owner, int64_t ctime,
                 const char *data)
{
    struct msg *m = calloc(1, sizeof *m);
    m->kind = MSG_DATA;
    m->path = strdup(path);
    m->res = ZRES_OK;
    m->data = strdup(data);
    m->data_len = (int32_t)strlen(data);
    m->has_stat = true;
    m->stat.ephemeral_owner = owner;
    m->stat.ctime = ctime;
    store_apply(f->s, m, &f->needs);
    msg_free(m);
}

static void refresh(struct fixture *f)
{
    monitor_refresh(&f->mo, f->s, f->now, &f->log, &f->needs);
}

static bool asked(const struct fixture *f, enum need_kind k, const char *path)
{
    for (size_t i = 0; i < f->needs.n; i++)
        if (f->needs.v[i].kind == k && strcmp(f->needs.v[i].path, path) == 0)
            return true;
    return false;
}

static const char *last_event(const struct fixture *f)
{
    return f->log.n ? events_get(&f->log, f->log.n - 1)->text : "";
}

static size_t views_at(const struct fixture *f, const char *path)
{
    size_t n = 0;
    for (size_t i = 0; i < f->mo.nlocks; i++)
        n += strcmp(f->mo.locks[i].path, path) == 0;
    return n;
}

static void root_with(struct fixture *f, const char *const *names, size_t n)
{
    kids(f, "/", names, n, 1);
}

static void test_a_lock_root_and_mixed_prefixes(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks" };
    static const char *const locks[] = { "orders" };
    /* hand-written, kazoo and Curator names in one parent: by number. */
    static const char *const q[] = { "zzz__lock__0000000009", "_c_1b-lock-0000000004",
                                      "seq-0000000007", "not-a-contender" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    assert_true(asked(f, NEED_KIDS, "/locks")); /* found by its name */
    kids(f, "/locks", locks, N(locks), 1);
    assert_true(asked(f, NEED_KIDS, "/locks/orders")); /* every child is a lock */
    kids(f, "/locks/orders", q, N(q), 10);
    refresh(f);
    v = monitor_lock(&f->mo, "/locks/orders");
    assert_non_null(v);
    assert_true(v->shown);
    assert_int_equal(v->kind, LK_MUTEX);
    assert_int_equal(v->nrows, 3);
    assert_string_equal(v->rows[0].node->name, "_c_1b-lock-0000000004");
    assert_true(v->rows[0].holds);
    assert_string_equal(v->rows[1].node->name, "seq-0000000007");
    assert_false(v->rows[1].holds);
    assert_string_equal(v->rows[2].node->name, "zzz__lock__0000000009");
    assert_int_equal(lock_waiting(v), 2);
    /* their owner and data are asked for, once, without a watch */
    assert_true(asked(f, NEED_INFO, "/locks/orders/seq-0000000007"));
}

static void test_read_write_holder_set(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "lock" };
    static const char *const locks[] = { "catalog" };
    static const char *const q[] = { "a__rlock__0000000001", "b__rlock__0000000002",
                                      "c__lock__0000000003", "d__rlock__0000000004" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    kids(f, "/lock", locks, N(locks), 1);
    kids(f, "/lock/catalog", q, N(q), 4);
    refresh(f);
    v = monitor_lock(&f->mo, "/lock/catalog");
    assert_non_null(v);
    assert_int_equal(v->kind, LK_RW);
    assert_int_equal(v->nholders, 2);
    assert_true(v->rows[0].holds && v->rows[1].holds);
    assert_false(v->rows[2].holds); /* the writer waits for both readers */
    assert_false(v->rows[3].holds); /* and the reader behind it for it */
}

static void test_holder_change_is_an_event(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks" };
    static const char *const locks[] = { "orders" };
    static const char *const q1[] = { "seq-0000000001", "seq-0000000002" };
    static const char *const q2[] = { "seq-0000000002" };
    static const char *const q3[] = { "seq-0000000002", "seq-0000000003" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    kids(f, "/locks", locks, N(locks), 1);
    kids(f, "/locks/orders", q1, N(q1), 2);
    refresh(f);
    assert_int_equal(f->log.n, 0); /* what held before we looked is no news */
    info(f, "/locks/orders/seq-0000000002", 0x1234, f->now - 500, "worker-2");
    f->now += 1000;
    kids(f, "/locks/orders", q2, N(q2), 3);
    refresh(f);
    assert_string_equal(last_event(f),
                        "LOCK /locks/orders held by seq-0000000002 owner 0x1234, was seq-0000000001");
    v = monitor_lock(&f->mo, "/locks/orders");
    assert_int_equal(v->changes, 1);
    /* it has held since it was seen taking it: an exact age */
    {
        bool upper;
        f->now += 250;
        assert_int_equal(lock_row_age(&f->mo, v, 0, f->now, &upper), 250);
        assert_false(upper);
    }
    /* a waiter coming is not a holder change */
    kids(f, "/locks/orders", q3, N(q3), 4);
    refresh(f);
    assert_int_equal(f->log.n, 1);
    assert_int_equal(monitor_lock(&f->mo, "/locks/orders")->waiting_max, 1);
}

static void test_holder_event_waits_for_its_owner(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks" };
    static const char *const locks[] = { "jobs" };
    static const char *const q1[] = { "seq-0000000001" };
    static const char *const free_[] = { "other" };
    static const char *const q2[] = { "seq-0000000002" };
    static const char *const q3[] = { "seq-0000000003" };
    root_with(f, top, N(top));
    kids(f, "/locks", locks, N(locks), 1);
    kids(f, "/locks/jobs", q1, N(q1), 1);
    refresh(f);
    kids(f, "/locks/jobs", free_, N(free_), 2);
    refresh(f);
    assert_string_equal(last_event(f), "LOCK /locks/jobs free, was seq-0000000001");
    /* taken while free: nobody has read the new holder's owner yet */
    f->now += 100;
    kids(f, "/locks/jobs", q2, N(q2), 3);
    refresh(f);
    assert_int_equal(f->log.n, 1);
    f->now += 20;
    info(f, "/locks/jobs/seq-0000000002", 0x22, 1, "");
    refresh(f);
    assert_string_equal(last_event(f), "LOCK /locks/jobs held by seq-0000000002 owner 0x22");
    /* stamped when logged: the log stays in time order */
    assert_int_equal(events_get(&f->log, 1)->time_ms, f->now);
    /* one that came and went before its owner was read: logged, owner ? */
    kids(f, "/locks/jobs", q3, N(q3), 5);
    refresh(f);
    kids(f, "/locks/jobs", free_, N(free_), 6);
    refresh(f);
    assert_int_equal(f->log.n, 4);
    assert_string_equal(events_get(&f->log, 2)->text,
                        "LOCK /locks/jobs held by seq-0000000003 owner ?, was seq-0000000002");
    assert_string_equal(last_event(f), "LOCK /locks/jobs free, was seq-0000000003");
}

static void test_shared_holders_each_come_and_go(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks" };
    static const char *const locks[] = { "rw" };
    static const char *const q1[] = { "a__rlock__0000000001", "b__rlock__0000000002" };
    static const char *const q2[] = { "b__rlock__0000000002", "c__rlock__0000000003" };
    const struct lock_view *v;
    bool upper;
    root_with(f, top, N(top));
    kids(f, "/locks", locks, N(locks), 1);
    kids(f, "/locks/rw", q1, N(q1), 2);
    info(f, "/locks/rw/b__rlock__0000000002", 0xb, f->now - 4000, "");
    refresh(f);
    f->now += 1000;
    kids(f, "/locks/rw", q2, N(q2), 4);
    info(f, "/locks/rw/c__rlock__0000000003", 0xc, f->now, "");
    refresh(f);
    assert_int_equal(f->log.n, 2);
    assert_string_equal(events_get(&f->log, 0)->text, "LOCK /locks/rw released by a__rlock__0000000001");
    assert_string_equal(events_get(&f->log, 1)->text,
                        "LOCK /locks/rw acquired by c__rlock__0000000003 owner 0xc");
    v = monitor_lock(&f->mo, "/locks/rw");
    f->now += 500;
    /* b held before we looked: at most its age; c we saw take it: exact */
    assert_int_equal(lock_row_age(&f->mo, v, 0, f->now, &upper), 5500);
    assert_true(upper);
    assert_int_equal(lock_row_age(&f->mo, v, 1, f->now, &upper), 500);
    assert_false(upper);
    /* after a disconnection, a holder seen at the next read is not exact */
    monitor_unsettle(&f->mo, f->s);
    {
        static const char *const q3[] = { "c__rlock__0000000003", "d__rlock__0000000004" };
        kids_tagged(f, "/locks/rw", q3, N(q3), 6, 0); /* read, but not yet re-watched */
        info(f, "/locks/rw/d__rlock__0000000004", 0xd, f->now - 300, "");
        refresh(f);
        v = monitor_lock(&f->mo, "/locks/rw");
        assert_int_equal(lock_row_age(&f->mo, v, 1, f->now, &upper), 300);
        assert_true(upper);
    }
}

static void test_a_name_like_build_dash_number_is_no_contender(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "jobs" };
    static const char *const jobs[] = { "build-123456789", "build-000000042" };
    root_with(f, top, N(top));
    kids(f, "/jobs", jobs, N(jobs), 2);
    refresh(f);
    assert_null(monitor_lock(&f->mo, "/jobs"));
}

static void test_a_busy_lock_does_not_flood_the_log(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks" };
    static const char *const locks[] = { "busy" };
    char name[32];
    const char *q[1] = { name };
    root_with(f, top, N(top));
    kids(f, "/locks", locks, N(locks), 1);
    for (int i = 0; i < 40; i++) {
        char path[64];
        snprintf(name, sizeof name, "seq-%010d", i);
        snprintf(path, sizeof path, "/locks/busy/%s", name);
        kids(f, "/locks/busy", q, 1, i);
        info(f, path, 0x100 + i, 1, "");
        refresh(f);
        f->now += 100;
    }
    /* 39 changes in 4 s: 20 lines, then nothing until 10 s have passed */
    assert_int_equal(f->log.n, 20);
    f->now += 10000;
    snprintf(name, sizeof name, "seq-%010d", 99);
    kids(f, "/locks/busy", q, 1, 99);
    info(f, "/locks/busy/seq-0000000099", 0x999, 1, "");
    refresh(f);
    assert_int_equal(f->log.n, 21);
    assert_string_equal(last_event(f), "LOCK /locks/busy held by seq-0000000099 owner 0x999, was "
                                       "seq-0000000039 (19 more changes not logged)");
}

static void test_detected_lock_needs_an_ephemeral(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "queue", "app" };
    static const char *const q[] = { "task-0000000001", "task-0000000002" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    kids(f, "/queue", q, N(q), 2);
    info(f, "/queue/task-0000000001", 0, 1, "job");
    info(f, "/queue/task-0000000002", 0, 1, "job");
    refresh(f);
    v = monitor_lock(&f->mo, "/queue");
    assert_non_null(v);
    assert_false(v->shown); /* persistent sequential nodes: a queue */
    info(f, "/queue/task-0000000002", 0x99, 1, "job");
    f->s->gen++;
    refresh(f);
    assert_true(monitor_lock(&f->mo, "/queue")->shown);
}

/* A big queue is parsed and sorted again only when it, its contenders'
 * owners or its parent change, not at every change in the store. */
static void test_a_lock_is_rebuilt_only_when_it_changes(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks", "app" };
    static const char *const l[] = { "job" };
    static const char *const q[] = { "seq-0000000001", "seq-0000000002" };
    static const char *const q2[] = { "seq-0000000001", "seq-0000000002", "seq-0000000003" };
    static const char *const app[] = { "a", "b" };
    const struct lock_view *v;
    uint64_t builds;
    root_with(f, top, N(top));
    kids(f, "/locks", l, N(l), 1);
    kids(f, "/locks/job", q, N(q), 2);
    info(f, "/locks/job/seq-0000000001", 0x11, 1, "");
    refresh(f);
    v = monitor_lock(&f->mo, "/locks/job");
    assert_non_null(v);
    builds = v->builds;
    kids(f, "/app", app, N(app), 2); /* elsewhere */
    refresh(f);
    assert_int_equal(monitor_lock(&f->mo, "/locks/job")->builds, builds);
    info(f, "/locks/job/seq-0000000002", 0x22, 2, ""); /* a waiter's owner */
    refresh(f);
    v = monitor_lock(&f->mo, "/locks/job");
    assert_int_equal(v->builds, builds + 1);
    kids(f, "/locks/job", q2, N(q2), 3); /* a new waiter */
    refresh(f);
    v = monitor_lock(&f->mo, "/locks/job");
    assert_int_equal(v->builds, builds + 2);
    assert_int_equal(v->nrows, 3);
    assert_string_equal(v->rows[2].node->name, "seq-0000000003");
    kids(f, "/locks/job", q, N(q), 4); /* it went */
    refresh(f);
    v = monitor_lock(&f->mo, "/locks/job");
    assert_int_equal(v->nrows, 2);
    assert_string_equal(v->rows[0].node->name, "seq-0000000001");
    assert_true(v->rows[0].holds);
}

/* More sequential children than max_kids: a queue or a member list, not
 * followed as a lock (each change would re-read the whole list), said
 * once; under a lock root it is followed all the same. */
static void test_a_huge_sequential_list_is_no_lock_unless_configured(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "wide", "locks" };
    static const char *const l[] = { "big" };
    static const char *const many[] = { "m-0000000001", "m-0000000002", "m-0000000003",
                                        "m-0000000004" };
    size_t logged;
    f->mo.max_kids = 3;
    root_with(f, top, N(top));
    kids(f, "/wide", many, N(many), 4);
    refresh(f);
    assert_null(monitor_lock(&f->mo, "/wide"));
    assert_string_equal(last_event(f), "/wide has 4 sequential children, over max_children (3): "
                                       "not followed as a lock (list it under locks: to follow it)");
    logged = f->log.n;
    kids(f, "/wide", many, N(many), 5);
    refresh(f);
    assert_null(monitor_lock(&f->mo, "/wide"));
    assert_int_equal(f->log.n, logged); /* said once */
    kids(f, "/locks", l, N(l), 1);
    kids(f, "/locks/big", many, N(many), 4);
    refresh(f);
    assert_non_null(monitor_lock(&f->mo, "/locks/big"));
    assert_int_equal(monitor_lock(&f->mo, "/locks/big")->nrows, 4);
}

static void test_kazoo_semaphore(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "semaphores" };
    static const char *const sems[] = { "pool", "pool-__lock__" };
    static const char *const leases[] = { "aaaa", "bbbb" };
    static const char *const q[] = { "cccc__lock__0000000005" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    kids(f, "/semaphores", sems, N(sems), 2);
    kids(f, "/semaphores/pool", leases, N(leases), 4);
    info(f, "/semaphores/pool", 0, 1, "2");
    kids(f, "/semaphores/pool-__lock__", q, N(q), 6);
    refresh(f);
    v = monitor_lock(&f->mo, "/semaphores/pool");
    assert_non_null(v);
    assert_int_equal(v->kind, LK_SEM_KAZOO);
    assert_int_equal(v->max_leases, 2);
    assert_int_equal(v->nholders, 2);
    assert_int_equal(v->rows[0].seq, -1);
    assert_int_equal(lock_waiting(v), 1);
    assert_string_equal(v->rows[2].node->name, "cccc__lock__0000000005");
    assert_null(monitor_lock(&f->mo, "/semaphores/pool-__lock__")); /* one view, not two */
    assert_int_equal(views_at(f, "/semaphores/pool"), 1); /* nor a plain one of the leases */
}

static void test_curator_semaphore(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "semaphores" };
    static const char *const sems[] = { "leases" };
    static const char *const parts[] = { "leases", "locks" };
    static const char *const held[] = { "_c_a-lease-0000000002", "_c_b-lease-0000000001" };
    static const char *const q[] = { "_c_c-lock-0000000007" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    kids(f, "/semaphores", sems, N(sems), 1);
    kids(f, "/semaphores/leases", parts, N(parts), 2);
    assert_true(asked(f, NEED_KIDS, "/semaphores/leases/leases"));
    kids(f, "/semaphores/leases/leases", held, N(held), 2);
    kids(f, "/semaphores/leases/locks", q, N(q), 8);
    refresh(f);
    v = monitor_lock(&f->mo, "/semaphores/leases");
    assert_non_null(v);
    /* a lease whose owner is not read yet may be a waiting client's */
    assert_int_equal(v->nholders, 0);
    info(f, "/semaphores/leases/leases/_c_a-lease-0000000002", 0xa, 1, "");
    info(f, "/semaphores/leases/leases/_c_b-lease-0000000001", 0xb, 1, "");
    refresh(f);
    v = monitor_lock(&f->mo, "/semaphores/leases");
    assert_int_equal(v->kind, LK_SEM_CURATOR);
    assert_int_equal(v->nholders, 2);
    assert_string_equal(v->rows[0].node->name, "_c_b-lease-0000000001");
    assert_int_equal(lock_waiting(v), 1);
    assert_null(monitor_lock(&f->mo, "/semaphores/leases/locks"));
    assert_null(monitor_lock(&f->mo, "/semaphores/leases/leases"));
    assert_int_equal(views_at(f, "/semaphores/leases"), 1);
    /* A client with a lease that holds the mutex waits for a lease to go:
     * its lease is not held, and it is shown once. */
    {
        static const char *const held3[] = { "_c_a-lease-0000000002", "_c_b-lease-0000000001",
                                             "_c_c-lease-0000000003" };
        kids(f, "/semaphores/leases/leases", held3, N(held3), 3);
        info(f, "/semaphores/leases/leases/_c_a-lease-0000000002", 0xa, 1, "");
        info(f, "/semaphores/leases/leases/_c_b-lease-0000000001", 0xb, 1, "");
        info(f, "/semaphores/leases/leases/_c_c-lease-0000000003", 0xc, 1, "");
        info(f, "/semaphores/leases/locks/_c_c-lock-0000000007", 0xc, 1, "");
        refresh(f);
        v = monitor_lock(&f->mo, "/semaphores/leases");
        assert_int_equal(v->nholders, 2);
        assert_int_equal(v->nrows, 3);
        assert_string_equal(v->rows[2].node->name, "_c_c-lease-0000000003");
        assert_false(v->rows[2].holds);
    }
}

static void test_semaphores_with_empty_queues(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "semaphores" };
    static const char *const sems[] = { "leases", "pool", "pool-__lock__" };
    static const char *const parts[] = { "leases", "locks" };
    static const char *const held[] = { "_c_a-lease-0000000002" };
    static const char *const none[] = { "x" };
    root_with(f, top, N(top));
    kids(f, "/semaphores", sems, N(sems), 1);
    kids(f, "/semaphores/leases", parts, N(parts), 2);
    /* the queue answers (empty) before the leases, then after */
    kids_tagged(f, "/semaphores/leases/locks", NULL, 0, 8, TAG_WATCH);
    kids(f, "/semaphores/leases/leases", held, N(held), 2);
    kids(f, "/semaphores/pool", none, N(none), 1);
    kids_tagged(f, "/semaphores/pool-__lock__", NULL, 0, 8, TAG_WATCH);
    info(f, "/semaphores/leases/leases/_c_a-lease-0000000002", 0xa, 1, "");
    refresh(f);
    assert_non_null(monitor_lock(&f->mo, "/semaphores/leases"));
    assert_int_equal(monitor_lock(&f->mo, "/semaphores/leases")->nholders, 1);
    assert_int_equal(monitor_lock(&f->mo, "/semaphores/leases")->kind, LK_SEM_CURATOR);
    assert_non_null(monitor_lock(&f->mo, "/semaphores/pool"));
    assert_int_equal(monitor_lock(&f->mo, "/semaphores/pool")->kind, LK_SEM_KAZOO);
    assert_int_equal(views_at(f, "/semaphores/pool"), 1);
}

static void test_registry_joins_and_leaves(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "servers" };
    static const char *const m1[] = { "a", "b" };
    static const char *const m2[] = { "b", "c" };
    static const char *const m3[] = { "b" };
    refresh(f);
    monitor_roots(&f->mo, f->s, &f->needs);
    root_with(f, top, N(top));
    monitor_roots(&f->mo, f->s, &f->needs);
    assert_true(asked(f, NEED_KIDS, "/servers")); /* the configured registry */
    kids(f, "/servers", m1, N(m1), 2);
    info(f, "/servers/a", 0xa, 1, "{\"host\":\"10.0.0.1\"}");
    refresh(f);
    assert_int_equal(f->log.n, 0); /* members before we looked: not joins */
    f->now += 1000;
    kids(f, "/servers", m2, N(m2), 4);
    /* a left: at once, with what was known of it */
    assert_string_equal(last_event(f), "OFFLINE /servers/a owner 0xa data {\"host\":\"10.0.0.1\"}");
    assert_int_equal(events_get(&f->log, 0)->kind, EV_OFFLINE);
    /* c came: announced once its owner and data are read */
    refresh(f);
    assert_int_equal(f->log.n, 1);
    assert_true(asked(f, NEED_INFO, "/servers/c"));
    info(f, "/servers/c", 0xc, 1, "x\ny");
    refresh(f);
    assert_int_equal(f->log.n, 2);
    assert_string_equal(last_event(f), "ONLINE /servers/c owner 0xc data x\\ny");
    assert_int_equal(events_get(&f->log, 1)->time_ms, f->now); /* when it was seen */
    /* one that came and went before its data was read is both */
    {
        static const char *const m4[] = { "b", "d" };
        kids(f, "/servers", m4, N(m4), 6);
        kids(f, "/servers", m3, N(m3), 7);
        assert_int_equal(f->log.n, 5);
        assert_string_equal(events_get(&f->log, 2)->text, "OFFLINE /servers/c owner 0xc data x\\ny");
        assert_string_equal(events_get(&f->log, 3)->text, "ONLINE /servers/d owner ?");
        assert_string_equal(events_get(&f->log, 4)->text, "OFFLINE /servers/d owner ?");
    }
}

static void test_registry_member_back_under_the_same_name(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "servers" };
    static const char *const m1[] = { "a" };
    root_with(f, top, N(top));
    kids(f, "/servers", m1, N(m1), 1);
    info(f, "/servers/a", 0xa, 1, "v1");
    refresh(f);
    /* We were away; a restarted a (new session) meanwhile: same list. */
    monitor_unsettle(&f->mo, f->s);
    f->s->gen++;
    refresh(f);
    assert_true(asked(f, NEED_INFO, "/servers/a"));
    info(f, "/servers/a", 0xb, 2, "v2");
    refresh(f);
    assert_int_equal(f->log.n, 1);
    assert_string_equal(last_event(f), "ONLINE /servers/a owner 0xb again (was owner 0xa)");
    assert_string_equal(f->mo.regs[0].m[0].data, "v2");
    /* its data changing is learnt too, without an event */
    info(f, "/servers/a", 0xb, 2, "v3");
    ((struct node *)store_get(f->s, "/servers/a"))->stat.mzxid = 7;
    f->s->gen++;
    refresh(f);
    assert_string_equal(f->mo.regs[0].m[0].data, "v3");
    assert_int_equal(f->log.n, 1);
}

static void test_registry_node_gone(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "services" };
    static const char *const svc[] = { "api" };
    static const char *const inst[] = { "i1", "i2" };
    static const char *const none[] = { "other" };
    root_with(f, top, N(top));
    kids(f, "/services", svc, N(svc), 1);
    assert_true(asked(f, NEED_KIDS, "/services/api")); /* Curator's layout */
    kids(f, "/services/api", inst, N(inst), 2);
    refresh(f);
    kids(f, "/", none, N(none), 3); /* /services deleted, with all below */
    refresh(f);
    assert_int_equal(f->log.n, 3);
    assert_string_equal(events_get(&f->log, 0)->text, "OFFLINE /services/api owner ?");
}

static void test_a_scan_answering_first_still_leaves_a_watch(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "deep" };
    static const char *const deep[] = { "locks" };
    static const char *const none[] = { "x" };
    root_with(f, top, N(top));
    assert_true(asked(f, NEED_SCAN, "/deep")); /* looked into, once, unwatched */
    kids_tagged(f, "/deep", deep, N(deep), 1, 0);
    assert_true(asked(f, NEED_KIDS, "/deep/locks"));
    need_clear(&f->needs);
    /* The scan's read of /deep/locks went first: its watched read was
     * skipped as a duplicate, so the answer asks for it again. */
    kids_tagged(f, "/deep/locks", none, N(none), 1, 0);
    assert_true(asked(f, NEED_KIDS, "/deep/locks"));
    need_clear(&f->needs);
    kids(f, "/deep/locks", none, N(none), 1);
    assert_false(asked(f, NEED_KIDS, "/deep/locks"));
}

static void test_rate_and_skew(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "locks" };
    static const char *const locks[] = { "x" };
    static const char *const q1[] = { "seq-0000000010" };
    static const char *const q2[] = { "seq-0000000020" };
    const struct lock_view *v;
    root_with(f, top, N(top));
    kids(f, "/locks", locks, N(locks), 1);
    kids(f, "/locks/x", q1, N(q1), 11);
    refresh(f);
    assert_true(lock_rate(monitor_lock(&f->mo, "/locks/x"), f->now) < 0); /* too soon */
    f->now += 30000;
    kids(f, "/locks/x", q2, N(q2), 31); /* 10 more queued in 30 s */
    /* the newcomer's ctime says the server's clock is 5 s behind ours */
    info(f, "/locks/x/seq-0000000020", 0x5, f->now - 5000 - 3, "");
    refresh(f);
    v = monitor_lock(&f->mo, "/locks/x");
    assert_true(lock_rate(v, f->now) > 19.9 && lock_rate(v, f->now) < 20.1);
    assert_true(f->mo.skew_known);
    assert_int_equal(f->mo.skew, 5003);
    assert_int_equal(monitor_server_now(&f->mo, f->now), f->now - 5003);
}

/* What the panels show is kept however small the data cache: dropped, the
 * monitor would only read it again. Anything else may go. */
static bool keeps(void *ctx, const struct node *n)
{
    return monitor_keeps_data(ctx, n);
}

static void test_data_cache_keeps_contenders_leases_and_members(void **state)
{
    struct fixture *f = *state;
    static const char *const top[] = { "semaphores", "servers", "other" };
    static const char *const sems[] = { "pool", "pool-__lock__", "leases" };
    static const char *const leases[] = { "aaaa" };
    static const char *const q[] = { "cccc__lock__0000000005" };
    static const char *const parts[] = { "leases", "locks" };
    static const char *const held[] = { "_c_a-lease-0000000002" };
    static const char *const members[] = { "m1" };
    static const char *const kept[] = {
        "/semaphores/pool", "/semaphores/pool/aaaa", "/semaphores/pool-__lock__/cccc__lock__0000000005",
        "/semaphores/leases/leases/_c_a-lease-0000000002", "/servers/m1",
    };
    root_with(f, top, N(top));
    monitor_roots(&f->mo, f->s, &f->needs);
    kids(f, "/semaphores", sems, N(sems), 3);
    kids(f, "/semaphores/pool", leases, N(leases), 1);
    kids(f, "/semaphores/pool-__lock__", q, N(q), 6);
    kids(f, "/semaphores/leases", parts, N(parts), 2);
    kids(f, "/semaphores/leases/leases", held, N(held), 2);
    kids(f, "/semaphores/leases/locks", NULL, 0, 8);
    kids(f, "/servers", members, N(members), 1);
    for (size_t i = 0; i < N(kept); i++)
        info(f, kept[i], 0xa, 1, "2");
    info(f, "/other", 0, 1, "not shown anywhere");
    refresh(f);
    assert_non_null(monitor_lock(&f->mo, "/semaphores/pool"));
    assert_non_null(monitor_lock(&f->mo, "/semaphores/leases"));
    f->s->data_cache = 0;
    store_trim(f->s, keeps, &f->mo);
    for (size_t i = 0; i < N(kept); i++)
        assert_true(store_get(f->s, kept[i])->flags & NODE_HAS_DATA);
    assert_false(store_get(f->s, "/other")->flags & NODE_HAS_DATA);
    /* nothing to read again */
    need_clear(&f->needs);
    f->now += 1000;
    refresh(f);
    assert_int_equal(f->needs.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_lock_root_and_mixed_prefixes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_write_holder_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holder_change_is_an_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holder_event_waits_for_its_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_holders_each_come_and_go, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_name_like_build_dash_number_is_no_contender, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_busy_lock_does_not_flood_the_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detected_lock_needs_an_ephemeral, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kazoo_semaphore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_lock_is_rebuilt_only_when_it_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_huge_sequential_list_is_no_lock_unless_configured,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_curator_semaphore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_semaphores_with_empty_queues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_joins_and_leaves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry_member_back_under_the_same_name, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_registry_node_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rate_and_skew, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_cache_keeps_contenders_leases_and_members, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_scan_answering_first_still_leaves_a_watch, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
