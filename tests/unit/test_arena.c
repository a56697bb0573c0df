/* The store's node arena: blocks zeroed, reused by size, big ones from
 * malloc, everything gone with the arena; freed blocks poisoned under
 * AddressSanitizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/arena.h"

#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#endif

static void test_zeroed_aligned_and_counted(void **state)
{
    struct arena a = { 0 };
    unsigned char *p[100];
    (void)state;
    for (int i = 0; i < 100; i++) {
        size_t size = 1 + (size_t)i * 13;
        p[i] = arena_alloc(&a, size);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 8, 0);
        for (size_t k = 0; k < size; k++)
            assert_int_equal(p[i][k], 0);
        memset(p[i], 0xab, size);
    }
    /* No two blocks overlap: each still holds its own bytes. */
    for (int i = 0; i < 100; i++)
        for (size_t k = 0; k < 1 + (size_t)i * 13; k++)
            assert_int_equal(p[i][k], 0xab);
    assert_true(a.live >= 100);
    for (int i = 0; i < 100; i++)
        arena_free(&a, p[i], 1 + (size_t)i * 13);
    assert_int_equal(a.live, 0);
    arena_clear(&a);
    assert_int_equal(a.held, 0);
}

static void test_freed_block_reused_by_its_size(void **state)
{
    struct arena a = { 0 };
    void *x, *y, *z;
    (void)state;
    x = arena_alloc(&a, 150);
    y = arena_alloc(&a, 150);
    memset(x, 0x5a, 150);
    arena_free(&a, x, 150);
#ifdef ARENA_ASAN
    assert_true(__asan_address_is_poisoned(x));
    assert_true(__asan_address_is_poisoned((char *)x + 149));
#endif
    z = arena_alloc(&a, 90); /* another size: another block */
    assert_ptr_not_equal(z, x);
    assert_ptr_equal(arena_alloc(&a, 145), x); /* 145 and 150 round to 152 */
    assert_int_equal(((unsigned char *)x)[0], 0);
    assert_int_equal(((unsigned char *)x)[144], 0);
    (void)y;
    arena_clear(&a);
}

static void test_many_chunks_and_big_blocks(void **state)
{
    struct arena a = { 0 };
    void *big;
    (void)state;
    for (int i = 0; i < 5000; i++)
        assert_non_null(arena_alloc(&a, 200)); /* 1 MB: more than one chunk */
    assert_true(a.held >= 5000 * 200);
    big = arena_alloc(&a, 5000); /* a path longer than ARENA_MAX */
    assert_non_null(big);
    memset(big, 1, 5000);
    arena_free(&a, big, 5000);
    assert_int_equal(a.live, 5000 * 200);
    arena_clear(&a);
    assert_null(a.chunks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroed_aligned_and_counted),
        cmocka_unit_test(test_freed_block_reused_by_its_size),
        cmocka_unit_test(test_many_chunks_and_big_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
