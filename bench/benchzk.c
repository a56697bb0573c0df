#include "benchzk.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct conn {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state;
};

/* Runs on the ZooKeeper completion thread. */
static void conn_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    struct conn *c = ctx;
    (void)zh;
    (void)path;
    if (type != ZOO_SESSION_EVENT)
        return;
    pthread_mutex_lock(&c->mu);
    c->state = state;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

int64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

zhandle_t *bench_connect(const char *prog, const char *hosts)
{
    /* Never freed: the watcher points at it for the session's life. */
    struct conn *cp = malloc(sizeof *cp);
    static FILE *devnull;
    struct timespec until;
    zhandle_t *zh;

    if (!devnull && (devnull = fopen("/dev/null", "w")))
        zoo_set_log_stream(devnull);
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    if (!cp) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    pthread_mutex_init(&cp->mu, NULL);
    pthread_cond_init(&cp->cv, NULL);
    cp->state = 0;
    zh = zookeeper_init(hosts, conn_watcher, 30000, NULL, cp, 0);
    if (!zh) {
        fprintf(stderr, "%s: cannot start a session with %s: %s\n", prog, hosts, strerror(errno));
        return NULL;
    }
    /* Re-resolving the host names on every I/O pass costs 20-30%. */
    zoo_set_servers_resolution_delay(zh, -1);
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&cp->mu);
    while (cp->state != ZOO_CONNECTED_STATE && cp->state != ZOO_EXPIRED_SESSION_STATE &&
           cp->state != ZOO_AUTH_FAILED_STATE)
        if (pthread_cond_timedwait(&cp->cv, &cp->mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&cp->mu);
    if (cp->state != ZOO_CONNECTED_STATE) {
        fprintf(stderr, "%s: no connection to %s\n", prog, hosts);
        zookeeper_close(zh);
        return NULL;
    }
    return zh;
}
