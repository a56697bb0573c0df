#include "zkconn.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Runs on the ZooKeeper completion thread. */
static void conn_watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    struct zkconn *c = ctx;
    (void)zh;
    (void)path;
    if (type != ZOO_SESSION_EVENT)
        return;
    pthread_mutex_lock(&c->mu);
    c->state = state;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

zhandle_t *zkconn_open(struct zkconn *c, const char *prog, const char *hosts, int session_ms,
                       int wait_ms, const char *const *auths, int n)
{
    struct timespec until;
    sigset_t block, old;
    zhandle_t *zh;

    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->state = 0;
    /* The client's threads inherit our signal mask. */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    zh = zookeeper_init(hosts, conn_watcher, session_ms, NULL, c, 0);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!zh) {
        fprintf(stderr, "%s: cannot start a session with %s: %s\n", prog, hosts, strerror(errno));
        return NULL;
    }
    /* Sent ahead of every request once connected. */
    for (int i = 0; i < n; i++) {
        char scheme[64];
        const char *colon = strchr(auths[i], ':');
        snprintf(scheme, sizeof scheme, "%.*s", (int)(colon - auths[i]), auths[i]);
        zoo_add_auth(zh, scheme, colon + 1, (int)strlen(colon + 1), NULL, NULL);
    }
    deadline_in(&until, wait_ms);
    pthread_mutex_lock(&c->mu);
    while (c->state != ZOO_CONNECTED_STATE && c->state != ZOO_EXPIRED_SESSION_STATE &&
           c->state != ZOO_AUTH_FAILED_STATE)
        if (pthread_cond_timedwait(&c->cv, &c->mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&c->mu);
    if (c->state != ZOO_CONNECTED_STATE) {
        fprintf(stderr, "%s: no connection to %s\n", prog, hosts);
        zookeeper_close(zh);
        return NULL;
    }
    return zh;
}
