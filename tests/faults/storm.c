/* storm: load for the fault suite's storm. Not part of zktui.
 *
 *   storm HOSTS ROOT RATE CONTENDERS SECONDS [TURN_MS]
 *
 * ROOT/hot, ROOT/kids and ROOT/lock must exist. For SECONDS, RATE changes
 * a second on a fixed schedule, half of them setData on ROOT/hot
 * ("seq=N"), half a create or a delete of one of 20 children of
 * ROOT/kids (k00..k19, each created then deleted in turn). Meanwhile
 * CONTENDERS ephemeral sequential nodes queue in ROOT/lock (lock-NNNNNNNNNN,
 * data "contender-I"), spread over up to 20 sessions; every TURN_MS
 * (default 40) the holder (the lowest sequence) lets go: its node is
 * deleted and the contender queues again at the tail, as a fair lock
 * turning over.
 *
 * When SECONDS are over it prints "stopped SETS CHILD_OPS TURNS" and keeps
 * its sessions (so the queue stays as it is) until stdin closes or
 * SIGTERM, then closes them. Exit 1 if a session could not be opened. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../bench/benchzk.h"

#define MAX_SESSIONS 20
#define KIDS 20

struct contender {
    int id;
    zhandle_t *zh;
    long long seq; /* -1 while its create is in flight */
    char path[256];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct contender *cs;
static long ncs;
static const char *root;
static long outstanding, sets, child_ops, turns, errors;
static volatile sig_atomic_t stop_now;

static void on_term(int sig)
{
    (void)sig;
    stop_now = 1;
}

static void requeue(struct contender *c);

/* Runs on the ZooKeeper completion thread. */
static void created_cb(int rc, const char *value, const void *data)
{
    struct contender *c = (struct contender *)data;
    pthread_mutex_lock(&mu);
    if (rc == ZOK && value) {
        size_t n = strlen(value);
        snprintf(c->path, sizeof c->path, "%s", value);
        c->seq = n >= 10 ? atoll(value + n - 10) : 0;
    } else {
        errors++;
    }
    pthread_mutex_unlock(&mu);
}

/* Runs on the ZooKeeper completion thread. */
static void deleted_cb(int rc, const void *data)
{
    struct contender *c = (struct contender *)data;
    if (rc != ZOK) {
        pthread_mutex_lock(&mu);
        errors++;
        pthread_mutex_unlock(&mu);
    }
    requeue(c);
}

static void requeue(struct contender *c)
{
    char prefix[256], data[32];
    snprintf(prefix, sizeof prefix, "%s/lock/lock-", root);
    snprintf(data, sizeof data, "contender-%d", c->id);
    if (zoo_acreate(c->zh, prefix, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE,
                    ZOO_EPHEMERAL | ZOO_SEQUENCE, created_cb, c) != ZOK) {
        pthread_mutex_lock(&mu);
        errors++;
        pthread_mutex_unlock(&mu);
    }
}

/* The holder lets go: the lowest sequence queued. */
static void turn(void)
{
    struct contender *h = NULL;
    pthread_mutex_lock(&mu);
    for (long i = 0; i < ncs; i++)
        if (cs[i].seq >= 0 && (!h || cs[i].seq < h->seq))
            h = &cs[i];
    if (h) {
        h->seq = -1;
        turns++;
    }
    pthread_mutex_unlock(&mu);
    if (h && zoo_adelete(h->zh, h->path, -1, deleted_cb, h) != ZOK) {
        pthread_mutex_lock(&mu);
        errors++;
        pthread_mutex_unlock(&mu);
    }
}

/* Runs on the ZooKeeper completion thread. */
static void done_stat_cb(int rc, const struct Stat *st, const void *data)
{
    (void)rc;
    (void)st;
    (void)data;
    pthread_mutex_lock(&mu);
    outstanding--;
    pthread_mutex_unlock(&mu);
}

/* Runs on the ZooKeeper completion thread. */
static void done_void_cb(int rc, const void *data)
{
    done_stat_cb(rc, NULL, data);
}

/* Runs on the ZooKeeper completion thread. */
static void done_str_cb(int rc, const char *value, const void *data)
{
    (void)value;
    done_stat_cb(rc, NULL, data);
}

static void change(zhandle_t *zh, long i)
{
    char path[256], data[32];
    int rc;
    pthread_mutex_lock(&mu);
    /* Far behind (a server too slow for RATE): skip, never queue up. */
    if (outstanding > 2000) {
        pthread_mutex_unlock(&mu);
        return;
    }
    outstanding++;
    pthread_mutex_unlock(&mu);
    if (i % 2 == 0) {
        snprintf(path, sizeof path, "%s/hot", root);
        snprintf(data, sizeof data, "seq=%ld", i / 2 + 1);
        rc = zoo_aset(zh, path, data, (int)strlen(data), -1, done_stat_cb, NULL);
        sets++;
    } else {
        long j = (i / 2) % (2 * KIDS);
        snprintf(path, sizeof path, "%s/kids/k%02ld", root, j % KIDS);
        if (j < KIDS)
            rc = zoo_acreate(zh, path, "x", 1, &ZOO_OPEN_ACL_UNSAFE, 0, done_str_cb, NULL);
        else
            rc = zoo_adelete(zh, path, -1, done_void_cb, NULL);
        child_ops++;
    }
    if (rc != ZOK) {
        pthread_mutex_lock(&mu);
        outstanding--;
        errors++;
        pthread_mutex_unlock(&mu);
    }
}

int main(int argc, char **argv)
{
    zhandle_t *writer, *sess[MAX_SESSIONS];
    long rate, turn_ms = 40, nsess;
    double secs;
    int64_t start, period, end, next_turn;
    struct sigaction sa;
    char buf[64];

    if ((argc != 6 && argc != 7) || (rate = atol(argv[3])) <= 0 || (ncs = atol(argv[4])) < 0 ||
        (secs = atof(argv[5])) <= 0 || (argc == 7 && (turn_ms = atol(argv[6])) <= 0)) {
        fprintf(stderr, "usage: storm HOSTS ROOT RATE CONTENDERS SECONDS [TURN_MS]\n");
        return 2;
    }
    root = argv[2];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (!(writer = bench_connect("storm", argv[1])))
        return 1;
    nsess = ncs < MAX_SESSIONS ? ncs : MAX_SESSIONS;
    for (long s = 0; s < nsess; s++)
        if (!(sess[s] = bench_connect("storm", argv[1])))
            return 1;
    if (ncs && !(cs = calloc((size_t)ncs, sizeof *cs)))
        return 1;
    for (long i = 0; i < ncs; i++) {
        cs[i] = (struct contender){ .id = (int)i + 1, .zh = sess[i % nsess], .seq = -1 };
        requeue(&cs[i]);
    }
    period = 1000000000 / rate;
    start = bench_now_ns();
    end = start + (int64_t)(secs * 1e9);
    next_turn = start + turn_ms * 1000000;
    for (long i = 0; !stop_now; i++) {
        int64_t at = start + i * period;
        struct timespec ts = { (time_t)(at / 1000000000), (long)(at % 1000000000) };
        if (at >= end)
            break;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop_now)
            ;
        change(writer, i);
        if (ncs && at >= next_turn) {
            turn();
            next_turn += turn_ms * 1000000;
        }
    }
    for (int i = 0; i < 500 && outstanding > 0; i++)
        usleep(10000);
    /* Let the last turn's create land, so the queue is whole again. */
    for (int i = 0; i < 200; i++) {
        long queued = 0;
        pthread_mutex_lock(&mu);
        for (long k = 0; k < ncs; k++)
            queued += cs[k].seq >= 0;
        pthread_mutex_unlock(&mu);
        if (queued == ncs)
            break;
        usleep(10000);
    }
    printf("stopped %ld %ld %ld errors=%ld\n", sets, child_ops, turns, errors);
    fflush(stdout);
    while (!stop_now && read(STDIN_FILENO, buf, sizeof buf) > 0)
        ;
    for (long s = 0; s < nsess; s++)
        zookeeper_close(sess[s]);
    zookeeper_close(writer);
    free(cs);
    return 0;
}
