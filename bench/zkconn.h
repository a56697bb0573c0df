/* Connecting and waiting for it: what the clients outside zktui share (the
 * bench tools, tests/faults/storm and tests/tools/zkctl). Not part of
 * zktui, which never waits for its session. */
#ifndef ZKTUI_BENCH_ZKCONN_H
#define ZKTUI_BENCH_ZKCONN_H

#include <pthread.h>

#include <zookeeper/zookeeper.h>

/* The session's state as its watcher last saw it. */
struct zkconn {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state;
};

/* Starts a session with hosts (session_ms asked of the server), adds each
 * "SCHEME:CREDENTIAL" of auths (n of them), and waits up to wait_ms for it
 * to connect. The client's threads start with INT and TERM blocked, so
 * that only the caller's threads see those. Returns the handle, or NULL
 * after a line on stderr starting "prog: ". c is the watcher's: it must
 * outlive the handle. Any thread; zookeeper_close() the result. */
zhandle_t *zkconn_open(struct zkconn *c, const char *prog, const char *hosts, int session_ms,
                       int wait_ms, const char *const *auths, int n);

#endif
