#include "benchzk.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "zkconn.h"

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

zhandle_t *bench_connect(const char *prog, const char *hosts)
{
    /* Never freed: the watcher points at it for the session's life. */
    struct zkconn *cp = malloc(sizeof *cp);
    static FILE *devnull;
    zhandle_t *zh;

    if (!devnull && (devnull = fopen("/dev/null", "w")))
        zoo_set_log_stream(devnull);
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    if (!cp) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    zh = zkconn_open(cp, prog, hosts, 30000, 10000, NULL, 0);
    /* Re-resolving the host names on every I/O pass costs 20-30%. */
    if (zh)
        zoo_set_servers_resolution_delay(zh, -1);
    return zh;
}
