/* The znode store: lookup, ordering, child-list diffs, watch bookkeeping and
 * what a watch event makes it re-read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "model/store.h"

static struct msg *msg_new(enum msg_kind kind, const char *path, enum zres res)
{
    struct msg *m = calloc(1, sizeof *m);
    m->kind = kind;
    m->path = strdup(path);
    m->res = res;
    return m;
}

static struct msg *children_msg(const char *path, const char *const *names, int n, bool watch)
{
    struct msg *m = msg_new(MSG_CHILDREN, path, ZRES_OK);
    m->names = calloc((size_t)n + 1, sizeof *m->names);
    for (int i = 0; i < n; i++)
        m->names[i] = strdup(names[i]);
    m->n_names = n;
    m->has_stat = true;
    m->stat.num_children = n;
    m->tag = watch ? TAG_WATCH : 0;
    return m;
}

static void apply_free(struct store *s, struct msg *m, struct need_list *needs)
{
    store_apply(s, m, needs);
    msg_free(m);
}

static void kids_are(const struct node *n, const char *const *want, uint32_t count)
{
    assert_int_equal(n->nkids, count);
    for (uint32_t i = 0; i < count; i++)
        assert_string_equal(node_kid(n, i)->name, want[i]);
}

static void test_ensure_creates_ancestors_and_lookup_finds_them(void **state)
{
    struct store *s = store_new();
    struct node *n = store_ensure(s, "/a/b/c");
    (void)state;
    assert_non_null(n);
    assert_string_equal(n->path, "/a/b/c");
    assert_string_equal(n->name, "c");
    assert_ptr_equal(store_get(s, "/a/b"), n->parent);
    assert_string_equal(n->parent->parent->name, "a");
    assert_ptr_equal(n->parent->parent->parent, s->root);
    assert_null(store_get(s, "/a/b/c/d"));
    assert_null(store_ensure(s, "relative"));
    assert_int_equal(s->count, 4);
    store_free(s);
}

static void test_children_sorted_by_name_whatever_the_order_given(void **state)
{
    static const char *const in[] = { "zeta", "alpha", "lock-0000000010", "lock-0000000002", "Beta" };
    static const char *const want[] = { "Beta", "alpha", "lock-0000000002", "lock-0000000010", "zeta" };
    struct store *s = store_new();
    char *names[5];
    (void)state;
    memcpy(names, in, sizeof names);
    assert_true(store_set_children(s, s->root, names, 5));
    kids_are(s->root, want, 5);
    assert_true(s->root->flags & NODE_KIDS_LOADED);
    store_free(s);
}

static void test_child_diff_removes_leavers_keeps_stayers_adds_joiners(void **state)
{
    static const char *const first[] = { "a", "b", "c" };
    static const char *const second[] = { "d", "b", "a" };
    static const char *const want[] = { "a", "b", "d" };
    struct store *s = store_new();
    struct node *b;
    (void)state;
    store_set_children(s, s->root, (char *const *)first, 3);
    b = store_get(s, "/b");
    b->flags |= NODE_HAS_STAT;
    b->stat.version = 7;
    store_ensure(s, "/c/deep/er");
    store_set_children(s, s->root, (char *const *)second, 3);
    kids_are(s->root, want, 3);
    assert_ptr_equal(store_get(s, "/b"), b); /* kept, with what we knew */
    assert_int_equal(b->stat.version, 7);
    assert_null(store_get(s, "/c"));
    assert_null(store_get(s, "/c/deep/er")); /* the subtree went with it */
    assert_int_equal(s->count, 4);
    store_free(s);
}

static void test_duplicate_and_empty_lists(void **state)
{
    static const char *const dup[] = { "x", "x", "y" };
    struct store *s = store_new();
    (void)state;
    store_set_children(s, s->root, (char *const *)dup, 3);
    assert_int_equal(s->root->nkids, 2);
    store_set_children(s, s->root, NULL, 0);
    assert_int_equal(s->root->nkids, 0);
    assert_int_equal(s->count, 1);
    store_free(s);
}

static void test_remove_root_only_drops_its_children(void **state)
{
    struct store *s = store_new();
    (void)state;
    store_ensure(s, "/a/b");
    store_remove(s, store_get(s, "/a/b"));
    assert_int_equal(node_kid(s->root, 0)->nkids, 0);
    store_remove(s, s->root);
    assert_non_null(s->root);
    assert_int_equal(s->count, 1);
    store_free(s);
}

static void test_watch_count_follows_flags_and_removal(void **state)
{
    struct store *s = store_new();
    struct node *a = store_ensure(s, "/app");
    (void)state;
    store_watch(s, a, NODE_WATCH_KIDS, true);
    store_watch(s, a, NODE_WATCH_KIDS, true); /* twice is still one */
    store_watch(s, a, NODE_WATCH_DATA, true);
    store_watch(s, s->root, NODE_WATCH_KIDS, true);
    assert_int_equal(s->watches, 3);
    assert_int_equal(s->watch_bytes, 4 + 4 + 1);
    store_remove(s, a);
    assert_int_equal(s->watches, 1);
    store_forget_watches(s);
    assert_int_equal(s->watches, 0);
    assert_int_equal(s->watch_bytes, 0);
    store_free(s);
}

/* Keeps what the test's ctx (a node) names, and selected or monitored ones. */
static bool keep_named(void *ctx, const struct node *n)
{
    return n == ctx || (n->flags & (NODE_SELECTED | NODE_MONITOR));
}

static void test_unwatch_picks_the_least_recently_shown_not_kept(void **state)
{
    struct store *s = store_new();
    struct node *n[6], **v;
    size_t k;
    (void)state;
    /* /p0 .. /p5, each with a child watch, shown at ticks 6, 1, 4, 2, 5, 3. */
    static const uint32_t seen[] = { 6, 1, 4, 2, 5, 3 };
    for (int i = 0; i < 6; i++) {
        char p[16];
        snprintf(p, sizeof p, "/p%d", i);
        n[i] = store_ensure(s, p);
        n[i]->seen = seen[i];
        store_watch(s, n[i], NODE_WATCH_KIDS, true);
    }
    store_watch(s, n[2], NODE_WATCH_DATA, true);
    n[3]->flags |= NODE_SELECTED;  /* kept, though shown long ago */
    n[5]->flags |= NODE_MONITOR;   /* kept */
    assert_int_equal(s->watches, 7);
    assert_int_equal(s->watch_bytes, 7 * 3);
    /* Nothing to free: nothing picked. */
    assert_int_equal(store_pick_unwatch(s, 0, 4, keep_named, n[1], &v), 0);
    assert_null(v);
    /* 8 bytes (3 + 4 each): /p1 is kept by ctx, /p3 and /p5 by their flags;
     * the oldest of the rest is /p2 (tick 4) whose two watches free 14. */
    k = store_pick_unwatch(s, 8, 4, keep_named, n[1], &v);
    assert_int_equal(k, 1);
    assert_ptr_equal(v[0], n[2]);
    free(v);
    /* More: /p2, then /p4 (5), then /p0 (6). */
    k = store_pick_unwatch(s, 15, 4, keep_named, n[1], &v);
    assert_int_equal(k, 2);
    assert_ptr_equal(v[0], n[2]);
    assert_ptr_equal(v[1], n[4]);
    free(v);
    k = store_pick_unwatch(s, 1000, 4, keep_named, n[1], &v);
    assert_int_equal(k, 3);
    assert_ptr_equal(v[2], n[0]);
    free(v);
    store_free(s);
}

static void test_unwatch_keeps_the_counts_true_and_the_rows(void **state)
{
    static const char *const kids[] = { "a", "b" };
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *p;
    (void)state;
    p = store_ensure(s, "/p");
    p->flags |= NODE_EXPANDED;
    apply_free(s, children_msg("/p", kids, 2, true), &needs);
    store_watch(s, p, NODE_WATCH_DATA, true);
    store_set_data(s, p, "x", 1);
    assert_int_equal(s->watches, 2);
    store_unwatch(s, p, NODE_WATCH_KIDS | NODE_WATCH_DATA);
    assert_int_equal(s->watches, 0);
    assert_int_equal(s->watch_bytes, 0);
    /* The rows stay, as a snapshot to read again when shown; the data,
     * no longer watched, is forgotten. */
    assert_int_equal(p->nkids, 2);
    assert_true(p->flags & NODE_BULK);
    assert_false(p->flags & NODE_HAS_DATA);
    /* Not re-read on a resync (unless selected): it is read when shown. */
    store_resync(s, &needs);
    for (size_t i = 0; i < needs.n; i++)
        assert_string_not_equal(needs.v[i].path, "/p");
    /* Twice is nothing more. */
    store_unwatch(s, p, NODE_WATCH_KIDS);
    assert_int_equal(s->watches, 0);
    need_free(&needs);
    store_free(s);
}

static void test_child_watch_on_expanded_node_asks_for_a_reread(void **state)
{
    static const char *const kids[] = { "one" };
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct msg *w = msg_new(MSG_WATCH, "/", ZRES_OK);
    (void)state;
    s->root->flags |= NODE_EXPANDED;
    apply_free(s, children_msg("/", kids, 1, true), &needs);
    assert_true(s->root->flags & NODE_WATCH_KIDS);
    assert_int_equal(s->watches, 1);
    w->event = WEV_CHILD;
    apply_free(s, w, &needs);
    assert_int_equal(s->watches, 0);
    assert_int_equal(needs.n, 1);
    assert_int_equal(needs.v[0].kind, NEED_KIDS);
    assert_string_equal(needs.v[0].path, "/");
    need_free(&needs);
    store_free(s);
}

static void test_child_watch_on_collapsed_node_marks_it_unloaded(void **state)
{
    static const char *const kids[] = { "one" };
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *n = store_ensure(s, "/n");
    struct msg *w = msg_new(MSG_WATCH, "/n", ZRES_OK);
    (void)state;
    apply_free(s, children_msg("/n", kids, 1, true), &needs);
    w->event = WEV_CHILD;
    apply_free(s, w, &needs);
    assert_int_equal(needs.n, 0);
    assert_false(n->flags & NODE_KIDS_LOADED);
    need_free(&needs);
    store_free(s);
}

static void test_data_change_on_selected_rereads_and_delete_removes(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *n = store_ensure(s, "/cfg");
    struct msg *d = msg_new(MSG_DATA, "/cfg", ZRES_OK), *w;
    (void)state;
    n->flags |= NODE_SELECTED;
    d->data = strdup("v1");
    d->data_len = 2;
    d->tag = TAG_WATCH;
    d->has_stat = true;
    d->stat.version = 1;
    apply_free(s, d, &needs);
    assert_true(n->flags & NODE_HAS_DATA);
    assert_memory_equal(node_data(n), "v1", 2);
    assert_int_equal(n->stat.version, 1);
    w = msg_new(MSG_WATCH, "/cfg", ZRES_OK);
    w->event = WEV_CHANGED;
    apply_free(s, w, &needs);
    assert_int_equal(needs.n, 1);
    assert_int_equal(needs.v[0].kind, NEED_DATA);
    w = msg_new(MSG_WATCH, "/cfg", ZRES_OK);
    w->event = WEV_DELETED;
    apply_free(s, w, &needs);
    assert_null(store_get(s, "/cfg"));
    need_free(&needs);
    store_free(s);
}

static void test_nonode_reply_removes_node_and_stale_reply_is_ignored(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    (void)state;
    store_ensure(s, "/gone");
    apply_free(s, msg_new(MSG_STAT, "/gone", ZRES_NONODE), &needs);
    assert_null(store_get(s, "/gone"));
    apply_free(s, msg_new(MSG_DATA, "/never-seen", ZRES_OK), &needs);
    assert_null(store_get(s, "/never-seen"));
    apply_free(s, msg_new(MSG_CHILDREN, "/", ZRES_NONODE), &needs);
    assert_non_null(s->root);
    need_free(&needs);
    store_free(s);
}

static void test_noauth_marks_node(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *n = store_ensure(s, "/secret");
    (void)state;
    n->flags |= NODE_DATA_PENDING;
    apply_free(s, msg_new(MSG_DATA, "/secret", ZRES_NOAUTH), &needs);
    assert_true(n->flags & NODE_NOAUTH);
    assert_false(n->flags & NODE_DATA_PENDING);
    need_free(&needs);
    store_free(s);
}

static void test_flatten_lists_expanded_subtrees_depth_first(void **state)
{
    struct store *s = store_new();
    struct rows r = { 0 };
    (void)state;
    store_ensure(s, "/b/y");
    store_ensure(s, "/b/x");
    store_ensure(s, "/a/hidden");
    s->root->flags |= NODE_EXPANDED;
    store_get(s, "/b")->flags |= NODE_EXPANDED;
    assert_true(store_flatten(s, s->root, &r));
    assert_int_equal(r.n, 5);
    assert_string_equal(r.v[0]->path, "/");
    assert_string_equal(r.v[1]->path, "/a");
    assert_string_equal(r.v[2]->path, "/b");
    assert_string_equal(r.v[3]->path, "/b/x");
    assert_string_equal(r.v[4]->path, "/b/y");
    assert_int_equal(r.depth[3], 2);
    assert_int_equal(store_get(s, "/b/y")->row, 4);
    rows_free(&r);
    store_free(s);
}

static void test_resync_asks_for_everything_watched(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *sel;
    (void)state;
    store_ensure(s, "/a/b");
    s->root->flags |= NODE_EXPANDED;
    store_get(s, "/a")->flags |= NODE_EXPANDED;
    sel = store_get(s, "/a/b");
    sel->flags |= NODE_SELECTED;
    store_resync(s, &needs);
    assert_int_equal(needs.n, 5); /* kids of /, /a, /a/b; data + acl of /a/b */
    need_free(&needs);
    store_free(s);
}

/* An open node a bulk walk read and nobody has looked at since is not
 * read again on (re)connecting: * on 20,000 nodes must not mean 20,000
 * reads after a reconnect. Selected or monitored, it is. */
static void test_resync_skips_what_a_bulk_walk_opened(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    (void)state;
    store_ensure(s, "/w/a/x");
    store_ensure(s, "/w/b");
    s->root->flags |= NODE_EXPANDED;
    store_get(s, "/w")->flags |= NODE_EXPANDED;
    store_get(s, "/w/a")->flags |= NODE_EXPANDED | NODE_BULK;
    store_get(s, "/w/b")->flags |= NODE_EXPANDED | NODE_BULK | NODE_MONITOR;
    store_resync(s, &needs);
    assert_int_equal(needs.n, 3); /* /, /w, and /w/b, which is monitored */
    for (size_t i = 0; i < needs.n; i++)
        assert_string_not_equal(needs.v[i].path, "/w/a");
    need_free(&needs);
    store_free(s);
}

/* The same list again (the selection's re-read on every cursor move)
 * leaves the rows as they are: nothing to flatten again. */
static void test_same_list_keeps_the_shape(void **state)
{
    static const char *const ab[] = { "a", "b" }, *const abc[] = { "a", "b", "c" };
    struct store *s = store_new();
    struct need_list needs = { 0 };
    uint64_t shape, gen;
    (void)state;
    apply_free(s, children_msg("/", ab, 2, true), &needs);
    shape = s->shape_gen;
    gen = s->gen;
    apply_free(s, children_msg("/", ab, 2, true), &needs);
    assert_int_equal(s->shape_gen, shape);
    assert_true(s->gen > gen); /* the Stat may have changed: redrawn */
    apply_free(s, children_msg("/a", NULL, 0, false), &needs);
    assert_int_equal(s->shape_gen, shape); /* a leaf's empty list */
    apply_free(s, children_msg("/", abc, 3, true), &needs);
    assert_true(s->shape_gen > shape);
    shape = s->shape_gen;
    apply_free(s, children_msg("/", ab, 2, true), &needs);
    assert_true(s->shape_gen > shape);
    need_free(&needs);
    store_free(s);
}

static void test_many_children_merge(void **state)
{
    enum { N = 50000 };
    struct store *s = store_new();
    char **names = calloc(N, sizeof *names);
    (void)state;
    for (int i = 0; i < N; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "c%05d", N - 1 - i);
    }
    assert_true(store_set_children(s, s->root, names, N));
    assert_int_equal(s->root->nkids, N);
    assert_string_equal(node_kid(s->root, 0)->name, "c00000");
    assert_string_equal(node_kid(s->root, N - 1)->name, "c49999");
    free(names[0]);
    names[0] = strdup("new");
    assert_true(store_set_children(s, s->root, names + 0, N / 2));
    assert_int_equal(s->root->nkids, N / 2);
    assert_non_null(store_get(s, "/new"));
    assert_null(store_get(s, "/c49999"));
    for (int i = 0; i < N; i++)
        free(names[i]);
    free(names);
    store_free(s);
}

/* The data read for path (a NEED_DATA or NEED_INFO answer). */
static void data_is(struct store *s, const char *path, const char *data, bool watch)
{
    struct need_list needs = { 0 };
    struct msg *d = msg_new(MSG_DATA, path, ZRES_OK);
    d->data = data ? strdup(data) : NULL;
    d->data_len = data ? (int32_t)strlen(data) : 0;
    d->tag = watch ? TAG_WATCH : 0;
    d->has_stat = true;
    apply_free(s, d, &needs);
    need_free(&needs);
}

static void test_payload_only_for_what_was_read_and_null_data_needs_none(void **state)
{
    struct store *s = store_new();
    struct node *a = store_ensure(s, "/a"), *b = store_ensure(s, "/b"), *c = store_ensure(s, "/c");
    struct msg *acl = msg_new(MSG_ACL, "/c", ZRES_OK);
    struct need_list needs = { 0 };
    (void)state;
    assert_null(a->pay);
    assert_int_equal(s->data_bytes, 0);
    data_is(s, "/a", "", false);
    data_is(s, "/b", NULL, false);
    assert_true(a->flags & NODE_HAS_DATA);
    assert_non_null(node_data(a)); /* empty, not null */
    assert_int_equal(node_data_len(a), 0);
    assert_true(b->flags & NODE_HAS_DATA);
    assert_null(b->pay); /* null data: the flag says it all */
    assert_null(node_data(b));
    acl->acl = calloc(1, sizeof *acl->acl);
    acl->acl[0].perms = 31;
    acl->acl[0].scheme = strdup("world");
    acl->acl[0].id = strdup("anyone");
    acl->n_acl = 1;
    apply_free(s, acl, &needs);
    assert_true(c->flags & NODE_HAS_ACL);
    assert_false(c->flags & NODE_HAS_DATA);
    assert_int_equal(node_n_acl(c), 1);
    assert_string_equal(node_acl(c)[0].id, "anyone");
    assert_int_equal(s->npay, 2);
    store_remove(s, c);
    store_remove(s, a);
    assert_int_equal(s->npay, 0);
    assert_int_equal(s->data_bytes, 0);
    need_free(&needs);
    store_free(s);
}

static bool keep_b(void *ctx, const struct node *n)
{
    (void)ctx;
    return strcmp(n->path, "/b") == 0;
}

static void test_trim_drops_the_oldest_unused_payloads_past_data_cache(void **state)
{
    struct store *s = store_new();
    struct node *n[5];
    static const char *const paths[] = { "/a", "/b", "/c", "/d", "/e" };
    size_t one;
    (void)state;
    for (int i = 0; i < 5; i++) {
        n[i] = store_ensure(s, paths[i]);
        data_is(s, paths[i], "0123456789", false);
    }
    one = s->data_bytes / 5;
    n[0]->flags |= NODE_SELECTED;
    store_trim(s, keep_b, NULL); /* under the 16 MiB at first: nothing goes */
    assert_int_equal(s->npay, 5);
    s->data_cache = 3 * one;
    store_trim(s, keep_b, NULL);
    /* /a selected and /b in use are kept; /c goes first, then /d */
    assert_true(n[0]->flags & NODE_HAS_DATA);
    assert_true(n[1]->flags & NODE_HAS_DATA);
    assert_false(n[2]->flags & NODE_HAS_DATA);
    assert_null(n[2]->pay);
    assert_null(node_data(n[2]));
    assert_false(n[3]->flags & NODE_HAS_DATA);
    assert_true(n[4]->flags & NODE_HAS_DATA);
    assert_memory_equal(node_data(n[4]), "0123456789", 10);
    assert_int_equal(s->data_bytes, 3 * one);
    /* Read again, /c is the newest: /e is now the oldest unused. */
    data_is(s, "/c", "0123456789", false);
    store_trim(s, keep_b, NULL);
    assert_true(n[2]->flags & NODE_HAS_DATA);
    assert_false(n[4]->flags & NODE_HAS_DATA);
    /* However small the cache, what is shown stays. */
    s->data_cache = 0;
    store_trim(s, keep_b, NULL);
    assert_int_equal(s->npay, 2);
    assert_int_equal(s->data_bytes, 2 * one);
    store_free(s);
}

static void test_dropped_data_of_a_watched_node_is_read_again_when_selected(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *n = store_ensure(s, "/cfg");
    (void)state;
    n->flags |= NODE_SELECTED;
    data_is(s, "/cfg", "v1", true);
    store_watch(s, n, NODE_WATCH_KIDS, true);
    assert_true(n->flags & NODE_WATCH_DATA);
    store_need_selected(n, &needs);
    assert_int_equal(needs.n, 1); /* watched and held: only the ACL */
    assert_int_equal(needs.v[0].kind, NEED_ACL);
    need_clear(&needs);
    /* The cursor moves on; the data watch stays armed; the data goes. */
    n->flags &= ~(uint32_t)NODE_SELECTED;
    s->data_cache = 0;
    store_trim(s, NULL, NULL);
    assert_false(n->flags & NODE_HAS_DATA);
    assert_true(n->flags & NODE_WATCH_DATA);
    n->flags |= NODE_SELECTED;
    store_need_selected(n, &needs);
    assert_int_equal(needs.n, 2);
    assert_int_equal(needs.v[0].kind, NEED_DATA);
    assert_string_equal(needs.v[0].path, "/cfg");
    need_free(&needs);
    store_free(s);
}

static void test_data_change_on_unselected_node_frees_its_data(void **state)
{
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct node *n = store_ensure(s, "/cfg");
    struct msg *w = msg_new(MSG_WATCH, "/cfg", ZRES_OK);
    (void)state;
    data_is(s, "/cfg", "v1", true);
    assert_true(s->data_bytes > 0);
    w->event = WEV_CHANGED;
    apply_free(s, w, &needs);
    assert_int_equal(needs.n, 0);
    assert_false(n->flags & NODE_HAS_DATA);
    assert_null(n->pay);
    assert_int_equal(s->data_bytes, 0);
    need_free(&needs);
    store_free(s);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A burst as one drain applies it: 10,000 child watches fire, their
 * re-reads are asked once each, the answers come, one flatten lists it. */
static void test_a_burst_of_ten_thousand_child_events_takes_one_pass(void **state)
{
    enum { N = 10000 };
    static const char *const one[] = { "x" }, *const two[] = { "x", "y" };
    struct store *s = store_new();
    struct need_list needs = { 0 };
    struct rows r = { 0 };
    char **names = calloc(N, sizeof *names);
    char path[32];
    (void)state;
    for (int i = 0; i < N; i++) {
        names[i] = malloc(16);
        snprintf(names[i], 16, "n%05d", i);
    }
    s->root->flags |= NODE_EXPANDED;
    store_set_children(s, s->root, names, N);
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/n%05d", i);
        store_get(s, path)->flags |= NODE_EXPANDED;
        apply_free(s, children_msg(path, one, 1, true), &needs);
    }
    assert_int_equal(s->watches, N);
    for (int i = 0; i < 2 * N; i++) { /* each fires; and again, as a duplicate */
        struct msg *w = msg_new(MSG_WATCH, "/", ZRES_OK);
        free(w->path);
        snprintf(path, sizeof path, "/n%05d", i % N);
        w->path = strdup(path);
        w->event = WEV_CHILD;
        apply_free(s, w, &needs);
    }
    assert_int_equal(s->watches, 0);
    assert_int_equal(needs.n, N); /* each re-read asked once */
    for (size_t i = 0; i < needs.n; i++) {
        snprintf(path, sizeof path, "/n%05zu", i);
        assert_int_equal(needs.v[i].kind, NEED_KIDS);
        assert_string_equal(needs.v[i].path, path); /* in the order asked */
    }
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/n%05d", i);
        apply_free(s, children_msg(path, two, 2, true), &needs);
    }
    assert_int_equal(s->watches, N);
    assert_true(store_flatten(s, s->root, &r));
    assert_int_equal(r.n, 1 + 3 * N);
    assert_string_equal(r.v[3 * N]->path, "/n09999/y");
    rows_free(&r);
    for (int i = 0; i < N; i++)
        free(names[i]);
    free(names);
    need_free(&needs);
    store_free(s);
}

/* Adding a need is O(1): 200,000 paths, each asked for its children, its
 * data, then its children again, take well under the minutes a search in
 * order would. */
static void test_need_list_of_a_big_burst_stays_linear(void **state)
{
    enum { N = 200000 };
    struct need_list l = { 0 };
    char path[32];
    double t0 = seconds();
    (void)state;
    for (int i = 0; i < 3 * N; i++) {
        snprintf(path, sizeof path, "/p/%d", i % N);
        need_add(&l, i / N == 1 ? NEED_DATA : NEED_KIDS, path);
    }
    assert_int_equal(l.n, 2 * N); /* every (kind, path) once */
    assert_int_equal(l.v[N].kind, NEED_DATA);
    assert_string_equal(l.v[N].path, "/p/0");
    assert_true(seconds() - t0 < 5.0);
    need_clear(&l);
    need_add(&l, NEED_KIDS, "/p/1"); /* a cleared list takes the same again */
    assert_int_equal(l.n, 1);
    need_free(&l);
}

static bool keep_even(void *ctx, const struct need *nd)
{
    (void)ctx;
    return atoi(strrchr(nd->path, '/') + 1) % 2 == 0;
}

/* need_has finds what need_add put, in a short list and in an indexed one;
 * need_filter keeps what it is told in order, and the list is still
 * searched right after (the index points by position). */
static void test_need_has_and_filter(void **state)
{
    struct need_list l = { 0 };
    char path[32];
    (void)state;
    for (int n = 0; n < 100; n++) {
        snprintf(path, sizeof path, "/q/%d", n);
        need_add(&l, NEED_KIDS, path);
        assert_true(need_has(&l, NEED_KIDS, path));
        assert_false(need_has(&l, NEED_DATA, path));
    }
    assert_false(need_has(&l, NEED_KIDS, "/q/100"));
    need_filter(&l, keep_even, NULL);
    assert_int_equal(l.n, 50);
    for (int n = 0; n < 100; n++) {
        snprintf(path, sizeof path, "/q/%d", n);
        assert_int_equal(need_has(&l, NEED_KIDS, path), n % 2 == 0);
    }
    assert_string_equal(l.v[1].path, "/q/2");
    need_add(&l, NEED_KIDS, "/q/4"); /* there already */
    need_add(&l, NEED_KIDS, "/q/5");
    assert_int_equal(l.n, 51);
    assert_true(need_has(&l, NEED_KIDS, "/q/5"));
    need_free(&l);
}

/* Children one at a time (as store_ensure adds them) in a scrambled order,
 * then every other one removed: the list stays sorted, lookups find
 * exactly those left, and the table still finds nodes it rehashed. */
static void test_insert_and_remove_many_children_keep_order_and_lookup(void **state)
{
    enum { N = 20000 }; /* each insert moves half the list: slow under ASan past this */
    struct store *s = store_new();
    struct node *wide;
    char path[32];
    (void)state;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t k = (i * 7919u) % N; /* 7919 is prime, N not its multiple: every k once */
        snprintf(path, sizeof path, "/wide/w%05u", k);
        assert_non_null(store_ensure(s, path));
    }
    wide = store_get(s, "/wide");
    assert_int_equal(wide->nkids, N);
    assert_int_equal(s->count, N + 2);
    assert_true(s->nbuckets >= s->count); /* load factor at most 1 */
    for (uint32_t i = 1; i < N; i++)
        assert_true(strcmp(node_kid(wide, i - 1)->name, node_kid(wide, i)->name) < 0);
    for (uint32_t i = 0; i < N; i += 2) {
        snprintf(path, sizeof path, "/wide/w%05u", (i * 7919u) % N);
        store_remove(s, store_get(s, path));
    }
    assert_int_equal(wide->nkids, N / 2);
    for (uint32_t i = 1; i < wide->nkids; i++)
        assert_true(strcmp(node_kid(wide, i - 1)->name, node_kid(wide, i)->name) < 0);
    for (uint32_t i = 0; i < N; i++) {
        struct node *n;
        uint32_t k = (i * 7919u) % N;
        snprintf(path, sizeof path, "/wide/w%05u", k);
        n = store_get(s, path);
        if (i % 2) {
            assert_non_null(n);
            assert_string_equal(n->path, path);
            assert_ptr_equal(n->parent, wide);
        } else {
            assert_null(n);
        }
    }
    assert_int_equal(s->count, N / 2 + 2);
    store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ensure_creates_ancestors_and_lookup_finds_them),
        cmocka_unit_test(test_children_sorted_by_name_whatever_the_order_given),
        cmocka_unit_test(test_child_diff_removes_leavers_keeps_stayers_adds_joiners),
        cmocka_unit_test(test_duplicate_and_empty_lists),
        cmocka_unit_test(test_remove_root_only_drops_its_children),
        cmocka_unit_test(test_watch_count_follows_flags_and_removal),
        cmocka_unit_test(test_child_watch_on_expanded_node_asks_for_a_reread),
        cmocka_unit_test(test_child_watch_on_collapsed_node_marks_it_unloaded),
        cmocka_unit_test(test_data_change_on_selected_rereads_and_delete_removes),
        cmocka_unit_test(test_nonode_reply_removes_node_and_stale_reply_is_ignored),
        cmocka_unit_test(test_noauth_marks_node),
        cmocka_unit_test(test_flatten_lists_expanded_subtrees_depth_first),
        cmocka_unit_test(test_resync_asks_for_everything_watched),
        cmocka_unit_test(test_resync_skips_what_a_bulk_walk_opened),
        cmocka_unit_test(test_same_list_keeps_the_shape),
        cmocka_unit_test(test_many_children_merge),
        cmocka_unit_test(test_insert_and_remove_many_children_keep_order_and_lookup),
        cmocka_unit_test(test_payload_only_for_what_was_read_and_null_data_needs_none),
        cmocka_unit_test(test_trim_drops_the_oldest_unused_payloads_past_data_cache),
        cmocka_unit_test(test_dropped_data_of_a_watched_node_is_read_again_when_selected),
        cmocka_unit_test(test_data_change_on_unselected_node_frees_its_data),
        cmocka_unit_test(test_a_burst_of_ten_thousand_child_events_takes_one_pass),
        cmocka_unit_test(test_need_list_of_a_big_burst_stays_linear),
        cmocka_unit_test(test_need_has_and_filter),
        cmocka_unit_test(test_unwatch_picks_the_least_recently_shown_not_kept),
        cmocka_unit_test(test_unwatch_keeps_the_counts_true_and_the_rows),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
