/* What the bench tools share: a connected session and a clock. Not part
 * of zktui. */
#ifndef ZKTUI_BENCH_BENCHZK_H
#define ZKTUI_BENCH_BENCHZK_H

#include <stdint.h>

#include <zookeeper/zookeeper.h>

/* A session to hosts, connected, or NULL after a line on stderr naming
 * prog. The client's log goes to /dev/null, host names are resolved once.
 * Call from the main thread; zookeeper_close() the result. */
zhandle_t *bench_connect(const char *prog, const char *hosts);

/* CLOCK_MONOTONIC in nanoseconds: the same clock as Python's
 * time.monotonic_ns(), so times taken in different processes compare. */
int64_t bench_now_ns(void);

#endif
