/* The thread crossing: pushes from many threads arrive once each, in order
 * per thread, and the wake fd is readable exactly while something waits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/queue.h"

enum { THREADS = 4, PER_THREAD = 20000 };

struct producer {
    struct queue *q;
    int id;
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        struct msg *m = calloc(1, sizeof *m);
        m->kind = MSG_WATCH;
        m->epoch = (uint32_t)p->id;
        m->tag = (uint32_t)i;
        queue_push(p->q, m);
    }
    return NULL;
}

static bool readable(int fd, int timeout_ms)
{
    struct pollfd pfd = { fd, POLLIN, 0 };
    return poll(&pfd, 1, timeout_ms) == 1;
}

static void test_wake_fd_follows_emptiness(void **state)
{
    struct queue *q = queue_new();
    struct msg *all;
    (void)state;
    assert_false(readable(queue_fd(q), 0));
    queue_push(q, calloc(1, sizeof(struct msg)));
    queue_push(q, calloc(1, sizeof(struct msg)));
    assert_true(readable(queue_fd(q), 0));
    all = queue_take_all(q);
    assert_non_null(all);
    assert_non_null(all->next);
    assert_null(all->next->next);
    assert_false(readable(queue_fd(q), 0));
    msg_free(all->next);
    msg_free(all);
    assert_null(queue_take_all(q));
    queue_free(q);
}

static void test_concurrent_pushes_all_arrive_in_order(void **state)
{
    struct queue *q = queue_new();
    pthread_t t[THREADS];
    struct producer p[THREADS];
    uint32_t next[THREADS] = { 0 };
    size_t got = 0;
    (void)state;
    for (int i = 0; i < THREADS; i++) {
        p[i] = (struct producer){ q, i };
        pthread_create(&t[i], NULL, produce, &p[i]);
    }
    while (got < (size_t)THREADS * PER_THREAD) {
        struct msg *m;
        assert_true(readable(queue_fd(q), 5000)); /* never a lost wake-up */
        m = queue_take_all(q);
        while (m) {
            struct msg *n = m->next;
            assert_int_equal(m->tag, next[m->epoch]++);
            got++;
            msg_free(m);
            m = n;
        }
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(queue_pushed(q), (size_t)THREADS * PER_THREAD);
    queue_free(q);
}

static void test_free_releases_unread_messages(void **state)
{
    struct queue *q = queue_new();
    struct msg *m = calloc(1, sizeof *m);
    (void)state;
    m->path = strdup("/left/behind");
    m->names = calloc(1, sizeof *m->names);
    m->names[0] = strdup("x");
    m->n_names = 1;
    queue_push(q, m);
    queue_free(q); /* ASan/valgrind prove nothing leaks */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wake_fd_follows_emptiness),
        cmocka_unit_test(test_concurrent_pushes_all_arrive_in_order),
        cmocka_unit_test(test_free_releases_unread_messages),
    };
    return cmocka_run_group_tests_name("queue", tests, NULL, NULL);
}
