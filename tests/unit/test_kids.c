/* A node's children as a counted B+ tree: the same list as a sorted array
 * would be, through random inserts and removes, bulk builds of every size
 * around the block boundaries, and the fill and count rules checked after
 * each step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/kids.h"
#include "model/store.h"

#ifndef ARENA_ASAN
/* Out of memory on demand: the n-th allocation from now fails (-1:
 * none), and the blocks not freed counted. Not under ASan, whose allocator these would replace. */
extern void *__libc_malloc(size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void __libc_free(void *p);
static int fail_in = -1;
static long live; /* blocks allocated and not freed */

static bool fail_now(void)
{
    if (fail_in < 0)
        return false;
    return fail_in-- == 0;
}

void *malloc(size_t size)
{
    void *p = fail_now() ? NULL : __libc_malloc(size);
    live += p != NULL;
    return p;
}

void *calloc(size_t n, size_t size)
{
    void *p = fail_now() ? NULL : __libc_calloc(n, size);
    live += p != NULL;
    return p;
}

void *realloc(void *p, size_t size)
{
    void *q = fail_now() ? NULL : __libc_realloc(p, size);
    live += q && !p;
    return q;
}

void free(void *p)
{
    live -= p != NULL;
    __libc_free(p);
}
#endif

/* Nodes with only a name, as the tree reads them. */
static struct node *fake(unsigned i)
{
    struct node *n = calloc(1, sizeof *n + 16);
    snprintf(n->path, 16, "n%08u", i);
    n->name = n->path;
    return n;
}

/* The reference: a sorted array of the same nodes. */
struct ref {
    struct node **v;
    uint32_t n;
};

/* Puts x at index at of the reference, as kids_insert did in the tree. */
static void ref_insert(struct ref *r, uint32_t at, struct node *x)
{
    memmove(r->v + at + 1, r->v + at, (r->n - at) * sizeof *r->v);
    r->v[at] = x;
    r->n++;
}

/* Frees the nodes, the tree and the reference. */
static void ref_free(struct ref *r, struct kids *k)
{
    for (uint32_t i = 0; i < r->n; i++)
        free(r->v[i]);
    kids_free(k);
    free(r->v);
}

static void same(const struct kids *k, const struct ref *r)
{
    struct kids_iter it;
    uint32_t i = 0;
    assert_int_equal(kids_check(k), 0);
    assert_int_equal(kids_count(k), r->n);
    for (struct node *n = kids_first(k, &it); n; n = kids_next(&it)) {
        assert_true(i < r->n);
        assert_ptr_equal(n, r->v[i]);
        i++;
    }
    assert_int_equal(i, r->n);
    for (i = 0; i < r->n; i += 1 + r->n / 97)
        assert_ptr_equal(kids_at(k, i), r->v[i]);
}

static void test_empty(void **state)
{
    struct kids *k = NULL;
    struct kids_iter it;
    bool found = true;
    (void)state;
    assert_int_equal(kids_count(k), 0);
    assert_null(kids_first(k, &it));
    assert_null(kids_next(&it));
    assert_int_equal(kids_search(k, "x", &found), 0);
    assert_false(found);
    assert_true(kids_build(NULL, 0, &k));
    assert_null(k);
    kids_free(k);
}

/* Inserted in random order through search + insert, removed in another
 * random order, with the reference beside it. */
static void test_random_against_array(void **state)
{
    enum { N = 20000 };
    struct node **pool = malloc(N * sizeof *pool);
    unsigned *order = malloc(N * sizeof *order);
    struct ref r = { malloc(N * sizeof *r.v), 0 };
    struct kids *k = NULL;
    int maxh = 0;
    (void)state;
    srand(7);
    for (unsigned i = 0; i < N; i++) {
        pool[i] = fake(i);
        order[i] = i;
    }
    for (unsigned i = N - 1; i > 0; i--) {
        unsigned j = (unsigned)rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (unsigned i = 0; i < N; i++) {
        struct node *n = pool[order[i]];
        bool found;
        uint32_t at = kids_search(k, n->name, &found);
        assert_false(found);
        assert_true(kids_insert(&k, at, n));
        ref_insert(&r, at, n);
        assert_int_equal(kids_search(k, n->name, &found), at);
        assert_true(found);
        if (kids_height(k) > maxh)
            maxh = kids_height(k);
        if (i % 997 == 0 || i < 300)
            same(k, &r);
    }
    same(k, &r);
    /* 20,000 at 32-64 a block: 313-625 leaves, under 5-20 blocks, under the root */
    assert_int_equal(maxh, 2);
    for (unsigned i = N - 1; i > 0; i--) {
        unsigned j = (unsigned)rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (unsigned i = 0; i < N; i++) {
        bool found;
        uint32_t at = kids_search(k, pool[order[i]]->name, &found);
        assert_true(found);
        assert_ptr_equal(kids_at(k, at), pool[order[i]]);
        kids_remove(&k, at);
        memmove(r.v + at, r.v + at + 1, (r.n - at - 1) * sizeof *r.v);
        r.n--;
        if (i % 997 == 0 || N - i < 300)
            same(k, &r);
    }
    assert_null(k);
    for (unsigned i = 0; i < N; i++)
        free(pool[i]);
    free(pool);
    free(order);
    free(r.v);
}

/* Always at one end, the worst case of a split-heavy tree; then emptied
 * from the front. */
static void test_append_and_drain(void **state)
{
    enum { N = 5000 };
    struct node *pool[N];
    struct ref r = { malloc(N * sizeof *r.v), 0 };
    struct kids *k = NULL;
    (void)state;
    for (unsigned i = 0; i < N; i++) {
        r.v[i] = pool[i] = fake(i);
        assert_true(kids_insert(&k, i, r.v[i]));
        r.n++;
    }
    same(k, &r);
    for (unsigned i = 0; i < N; i++) {
        kids_remove(&k, 0);
        memmove(r.v, r.v + 1, (r.n - 1) * sizeof *r.v);
        r.n--;
        if (i % 101 == 0)
            same(k, &r);
    }
    assert_null(k);
    for (unsigned i = 0; i < N; i++)
        free(pool[i]);
    free(r.v);
}

/* Built whole at every size around one and two levels of blocks; then
 * changed in the middle, where a built tree is full. */
static void test_build_sizes(void **state)
{
    static const uint32_t sizes[] = { 1, 2, 3, 4, 5, 63, 64, 65, 511, 512, 513, 4095,
                                      4096, 4097, 60000 };
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        uint32_t n = sizes[s];
        struct ref r = { malloc((n + 10) * sizeof *r.v), n };
        struct kids *k;
        for (uint32_t i = 0; i < n; i++)
            r.v[i] = fake(i * 2);
        assert_true(kids_build(r.v, n, &k));
        same(k, &r);
        for (unsigned e = 0; e < 10; e++) {
            /* odd numbers: between the built ones, or past the last */
            struct node *x = fake((uint32_t)((uint64_t)e * n / 10) * 2 + 1);
            bool found;
            uint32_t at = kids_search(k, x->name, &found);
            if (found) { /* a small list: e * n / 10 repeats */
                free(x);
                continue;
            }
            assert_true(kids_insert(&k, at, x));
            ref_insert(&r, at, x);
            same(k, &r);
        }
        ref_free(&r, k);
    }
}

/* Running out of memory at any allocation of an insert changes nothing
 * and leaks nothing: a full tree (every leaf and the root full), a full
 * small array, a full array of 512 that becomes a tree. */
static void test_out_of_memory_changes_nothing(void **state)
{
#ifdef ARENA_ASAN
    (void)state;
    skip();
#else
    static const uint32_t sizes[] = { 64 * 64, 4, 512 };
    long before = live;
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        uint32_t n = sizes[s];
        struct ref r = { malloc((n + 1) * sizeof *r.v), n };
        struct node *x = fake(n + 1); /* odd: among the even ones */
        struct kids *k;
        int fails = 0;
        bool found;
        uint32_t at;
        for (uint32_t i = 0; i < n; i++)
            r.v[i] = fake(i * 2);
        assert_true(kids_build(r.v, n, &k));
        if (s == 1) { /* 4 in an array of room 4: the insert grows it */
            kids_free(k);
            k = NULL;
            for (uint32_t i = 0; i < n; i++)
                assert_true(kids_insert(&k, i, r.v[i]));
        }
        at = kids_search(k, x->name, &found);
        assert_false(found);
        for (int f = 0;; f++) {
            fail_in = f;
            if (kids_insert(&k, at, x))
                break;
            fails++;
            same(k, &r);
        }
        fail_in = -1;
        /* 4,096: a leaf, an inner block, a root. 4: a larger array. 512:
         * the level's array, nine leaves, the array above, the root. */
        assert_int_equal(fails, s == 0 ? 3 : s == 1 ? 1 : 12);
        ref_insert(&r, at, x);
        same(k, &r);
        ref_free(&r, k);
    }
    assert_int_equal(live, before);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_random_against_array),
        cmocka_unit_test(test_append_and_drain),
        cmocka_unit_test(test_build_sizes),
        cmocka_unit_test(test_out_of_memory_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
