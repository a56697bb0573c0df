/* Lock queues: recognising each recipe's names, ordering by sequence
 * number whatever the prefix, and who holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/locks.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static size_t order(const char *const *names, size_t n, struct lock_entry *v)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (lock_parse(names[i], &v[k]))
            k++;
    lock_order(v, k);
    return k;
}

static void test_recipes_are_recognised(void **state)
{
    struct lock_entry e;
    (void)state;
    assert_true(lock_parse("seq-0000000007", &e));
    assert_int_equal(e.seq, 7);
    assert_int_equal(e.recipe, RECIPE_PLAIN);
    assert_int_equal(e.role, LOCK_WRITE);
    assert_true(lock_parse("lock_id_0000000012", &e));
    assert_int_equal(e.seq, 12);
    assert_true(lock_parse("read-0000000003", &e));
    assert_int_equal(e.role, LOCK_READ);
    assert_true(lock_parse("9f1c2e__lock__0000000042", &e));
    assert_int_equal(e.recipe, RECIPE_KAZOO);
    assert_int_equal(e.role, LOCK_WRITE);
    assert_true(lock_parse("9f1c2e__rlock__0000000043", &e));
    assert_int_equal(e.recipe, RECIPE_KAZOO);
    assert_int_equal(e.role, LOCK_READ);
    assert_true(lock_parse("_c_0b4f6d3a-8f7e-4c2a-9d1b-1e2f3a4b5c6d-lock-0000000001", &e));
    assert_int_equal(e.recipe, RECIPE_CURATOR);
    assert_int_equal(e.role, LOCK_WRITE);
    assert_true(lock_parse("_c_0b4f-__READ__0000000002", &e));
    assert_int_equal(e.role, LOCK_READ);
    assert_int_equal(e.recipe, RECIPE_CURATOR);
    assert_true(lock_parse("_c_0b4f-__WRIT__0000000004", &e));
    assert_int_equal(e.role, LOCK_WRITE);
    assert_string_equal(lock_recipe_name(RECIPE_CURATOR), "curator");
    assert_string_equal(lock_role_name(LOCK_READ), "read");
}

static void test_not_contenders(void **state)
{
    struct lock_entry e;
    (void)state;
    assert_false(lock_parse("leases", &e));
    assert_false(lock_parse("lock-123", &e));
    assert_false(lock_parse("", &e));
}

static void test_order_is_by_number_not_by_name(void **state)
{
    /* By name, "aaa..." would come first; by number, "zzz" holds. */
    static const char *const names[] = {
        "aaaa__lock__0000000009",
        "zzzz__lock__0000000002",
        "mmmm__lock__0000000005",
    };
    struct lock_entry v[N(names)];
    size_t n = order(names, N(names), v);
    (void)state;
    assert_int_equal(n, 3);
    assert_string_equal(v[0].name, "zzzz__lock__0000000002");
    assert_true(v[0].holds);
    assert_string_equal(v[1].name, "mmmm__lock__0000000005");
    assert_false(v[1].holds);
    assert_string_equal(v[2].name, "aaaa__lock__0000000009");
    assert_false(v[2].holds);
}

static void test_readers_before_the_first_writer_hold(void **state)
{
    static const char *const names[] = {
        "x__rlock__0000000001", "y__rlock__0000000002", "w__lock__0000000003",
        "z__rlock__0000000004", "leases", /* not a contender: left out */
    };
    struct lock_entry v[N(names)];
    size_t n = order(names, N(names), v);
    (void)state;
    assert_int_equal(n, 4);
    assert_true(v[0].holds);
    assert_true(v[1].holds);
    assert_false(v[2].holds); /* the writer waits for the readers */
    assert_false(v[3].holds); /* a reader after a writer waits */
}

static void test_a_writer_first_holds_alone(void **state)
{
    static const char *const names[] = {
        "_c_b-__READ__0000000011", "_c_a-__WRIT__0000000010", "_c_c-__READ__0000000012",
    };
    struct lock_entry v[N(names)];
    (void)state;
    assert_int_equal(order(names, N(names), v), 3);
    assert_int_equal(lock_order(v, 3), 1);
    assert_string_equal(v[0].name, "_c_a-__WRIT__0000000010");
    assert_true(v[0].holds);
    assert_false(v[1].holds);
    assert_false(v[2].holds);
}

static void test_empty_and_equal_numbers(void **state)
{
    struct lock_entry v[2];
    (void)state;
    assert_int_equal(lock_order(v, 0), 0);
    /* Two parents' worth of names can repeat a number: order by name then. */
    assert_true(lock_parse("b-0000000001", &v[0]));
    assert_true(lock_parse("a-0000000001", &v[1]));
    assert_int_equal(lock_order(v, 2), 1);
    assert_string_equal(v[0].name, "a-0000000001");
}

static void test_wrapped_counter_sorts_last(void **state)
{
    /* Past 2^31 the server prints the counter negative: it still comes
     * after 2147483647, and a kazoo prefix keeps its recipe. */
    static const char *const names[] = {
        "u__lock__-2147483648", "u__lock__2147483647", "v__lock__-000000005",
        "mixed-seq-0000000001" /* another prefix in the same parent */,
    };
    struct lock_entry v[N(names)];
    (void)state;
    assert_int_equal(order(names, N(names), v), 4);
    assert_string_equal(v[0].name, "mixed-seq-0000000001");
    assert_true(v[0].holds);
    assert_string_equal(v[1].name, "u__lock__2147483647");
    assert_string_equal(v[2].name, "u__lock__-2147483648");
    assert_int_equal(v[2].recipe, RECIPE_KAZOO);
    assert_string_equal(v[3].name, "v__lock__-000000005");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recipes_are_recognised),
        cmocka_unit_test(test_not_contenders),
        cmocka_unit_test(test_order_is_by_number_not_by_name),
        cmocka_unit_test(test_readers_before_the_first_writer_hold),
        cmocka_unit_test(test_a_writer_first_holds_alone),
        cmocka_unit_test(test_empty_and_equal_numbers),
        cmocka_unit_test(test_wrapped_counter_sorts_last),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
