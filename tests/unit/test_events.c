/* The event log's ring buffer: order, dropping the oldest, counting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "model/events.h"

static void test_keeps_order_and_drops_the_oldest(void **state)
{
    struct event_log l;
    char text[32];
    (void)state;
    assert_true(events_init(&l, 3));
    assert_null(events_get(&l, 0));
    for (int i = 1; i <= 5; i++) {
        snprintf(text, sizeof text, "event %d", i);
        events_add(&l, 1000 * i, i % 2 ? EV_ONLINE : EV_OFFLINE, text);
    }
    assert_int_equal(l.n, 3);
    assert_int_equal(l.total, 5);
    assert_string_equal(events_get(&l, 0)->text, "event 3");
    assert_int_equal(events_get(&l, 0)->time_ms, 3000);
    assert_int_equal(events_get(&l, 0)->kind, EV_ONLINE);
    assert_string_equal(events_get(&l, 2)->text, "event 5");
    assert_null(events_get(&l, 3));
    events_free(&l);
}

static void test_capacity_one_and_names(void **state)
{
    struct event_log l;
    (void)state;
    assert_true(events_init(&l, 0)); /* taken as 1 */
    events_add(&l, 1, EV_SESSION, "connected");
    events_add(&l, 2, EV_ERROR, "lost");
    assert_int_equal(l.n, 1);
    assert_string_equal(events_get(&l, 0)->text, "lost");
    assert_string_equal(event_kind_name(EV_OFFLINE), "offline");
    assert_string_equal(event_kind_name(EV_ENSEMBLE), "ensemble");
    events_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keeps_order_and_drops_the_oldest),
        cmocka_unit_test(test_capacity_one_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
