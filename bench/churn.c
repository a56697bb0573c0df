/* churn: another client changing one node at a steady rate, for the
 * event-to-screen latency benchmark.
 *
 *   churn HOSTS PATH RATE SECONDS
 *
 * Sets PATH's data to "seq=NNNNNNNN" (1, 2, ...) RATE times a second for
 * SECONDS, on a fixed schedule (a late change does not push the next
 * ones back), without waiting for each answer. A second session watches
 * the node as zktui does (a data watch, re-armed by re-reading on each
 * event) and notes when it first read each value: the floor for any
 * client's event-to-screen latency, with no screen. At the end prints one
 * line per change: "SEQ SENT_NS ACKED_NS RC SEEN_NS" (SEEN_NS 0: never
 * seen), the times on CLOCK_MONOTONIC (Python's time.monotonic_ns()).
 * Exit 1 if a change failed. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchzk.h"

struct change {
    int64_t sent, acked, seen;
    int rc;
};

static struct change *log_;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long outstanding;
static long nchanges;
static const char *path;
static long last_seen; /* only on the watching session's completion thread */
static _Atomic long seen_upto;

static void data_cb(int rc, const char *value, int len, const struct Stat *st,
                    const void *data);

/* Runs on the watching session's completion thread. */
static void watch_cb(zhandle_t *zh, int type, int state, const char *p, void *ctx)
{
    (void)state;
    (void)p;
    (void)ctx;
    if (type == ZOO_CHANGED_EVENT)
        zoo_awget(zh, path, watch_cb, NULL, data_cb, NULL);
}

/* Runs on the watching session's completion thread. */
static void data_cb(int rc, const char *value, int len, const struct Stat *st,
                    const void *data)
{
    int64_t now = bench_now_ns();
    long seq;
    (void)st;
    (void)data;
    if (rc != ZOK || len < 5 || !value || strncmp(value, "seq=", 4) != 0)
        return;
    seq = strtol(value + 4, NULL, 10);
    for (long k = last_seen + 1; k <= seq && k <= nchanges; k++)
        log_[k].seen = now;
    if (seq > last_seen)
        last_seen = seq;
    seen_upto = last_seen;
}

/* Runs on the ZooKeeper completion thread. */
static void set_cb(int rc, const struct Stat *st, const void *data)
{
    struct change *c = (struct change *)data;
    (void)st;
    c->acked = bench_now_ns();
    c->rc = rc;
    pthread_mutex_lock(&mu);
    outstanding--;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

int main(int argc, char **argv)
{
    zhandle_t *zh, *watcher;
    long rate, n, failed = 0;
    double secs;
    int64_t start, period;

    if (argc != 5 || (rate = atol(argv[3])) <= 0 || (secs = atof(argv[4])) <= 0) {
        fprintf(stderr, "usage: churn HOSTS PATH RATE SECONDS\n");
        return 2;
    }
    n = (long)(rate * secs);
    period = 1000000000 / rate;
    if (!(log_ = calloc((size_t)n + 1, sizeof *log_))) {
        fprintf(stderr, "churn: out of memory\n");
        return 1;
    }
    nchanges = n;
    path = argv[2];
    if (!(zh = bench_connect("churn", argv[1])) || !(watcher = bench_connect("churn", argv[1])))
        return 1;
    /* What is there now (seq=0 before a run) is not a change: start from it. */
    if (zoo_awget(watcher, path, watch_cb, NULL, data_cb, NULL) != ZOK) {
        fprintf(stderr, "churn: cannot watch %s\n", path);
        return 1;
    }
    start = bench_now_ns() + period;
    for (long i = 1; i <= n; i++) {
        int64_t at = start + (i - 1) * period;
        struct timespec ts = { (time_t)(at / 1000000000), (long)(at % 1000000000) };
        char data[32];
        int rc;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
            ;
        snprintf(data, sizeof data, "seq=%08ld", i);
        pthread_mutex_lock(&mu);
        outstanding++;
        pthread_mutex_unlock(&mu);
        log_[i].sent = bench_now_ns();
        rc = zoo_aset(zh, argv[2], data, (int)strlen(data), -1, set_cb, &log_[i]);
        if (rc != ZOK) {
            log_[i].rc = rc;
            pthread_mutex_lock(&mu);
            outstanding--;
            pthread_mutex_unlock(&mu);
        }
    }
    pthread_mutex_lock(&mu);
    while (outstanding > 0)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < 200 && seen_upto < n; i++)
        usleep(10000); /* the watcher's last read, 2 s at most */
    zookeeper_close(watcher);
    zookeeper_close(zh);
    for (long i = 1; i <= n; i++) {
        printf("%ld %lld %lld %d %lld\n", i, (long long)log_[i].sent,
               (long long)log_[i].acked, log_[i].rc, (long long)log_[i].seen);
        failed += log_[i].rc != ZOK;
    }
    if (failed)
        fprintf(stderr, "churn: %ld of %ld changes failed\n", failed, n);
    return failed ? 1 : 0;
}
