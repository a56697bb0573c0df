/* What the integration tests share: the server they talk to (ZK_HOST, set
 * by tests/integration/test_zk_live.sh) and a monotonic clock. Included by
 * each test program once. */
#ifndef ZKTUI_ITEST_H
#define ZKTUI_ITEST_H

#include <stdlib.h>
#include <time.h>

static inline const char *host(void)
{
    const char *h = getenv("ZK_HOST");
    return h ? h : "127.0.0.1:2181";
}

static inline long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
