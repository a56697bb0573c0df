/* Bulk walks (see walk.h). Who holds a walk: its owner, until it releases
 * it, and each read in flight. The last to let go frees it, on whichever
 * thread that is. Locks, always in this order: the session's walks_mu (the
 * list of walks), a walk's mu, then the session's live_mu (taken inside
 * zk_req_new and zk_req_free). Reads are sent only under the walk's mu and
 * only while it is not closed, and zk_walks_close takes every walk's mu to
 * close it before the handle closes: so no read is ever sent on a handle
 * being closed, from any thread. */
#include "zk/walk.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/path.h"
#include "zk/session_int.h"

struct zk_walk {
    struct zk *z;                /* NULL once the session is freed */
    struct queue *q;
    struct zk_walk *prev, *next; /* in z->walks, under z->walks_mu */
    pthread_mutex_t mu;
    uint32_t tag;
    uint32_t epoch;
    unsigned flags;
    long window;
    char *top;
    /* Under mu from here. */
    char **todo;                 /* a FIFO of paths whose lists are still to be read */
    size_t head, tail, cap;
    int refs;                    /* the owner's and one per read in flight */
    bool cancelled;              /* released by its owner: no more messages */
    bool closed;                 /* its session is closing: no more reads */
    bool end_sent;
    struct walk_stats st;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Codes after which nothing more can be read on this handle. */
static bool fatal(int rc)
{
    return rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZSESSIONEXPIRED ||
           rc == ZCLOSING || rc == ZINVALIDSTATE || rc == ZAUTHFAILED || rc == ZSESSIONMOVED ||
           rc == ZSYSTEMERROR;
}

static bool stopping(const struct zk_walk *w)
{
    return w->cancelled || w->closed || w->st.rc != 0;
}

/* mu held. */
static bool todo_push(struct zk_walk *w, char *path)
{
    if (w->tail == w->cap) {
        if (w->head > 0) {
            memmove(w->todo, w->todo + w->head, (w->tail - w->head) * sizeof *w->todo);
            w->tail -= w->head;
            w->head = 0;
        }
        if (w->tail == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 1024;
            char **v = realloc(w->todo, cap * sizeof *v);
            if (!v)
                return false;
            w->todo = v;
            w->cap = cap;
        }
    }
    w->todo[w->tail++] = path;
    return true;
}

static void walk_children_cb(int rc, const struct String_vector *sv, const struct Stat *st,
                             const void *data);
static void walk_data_cb(int rc, const char *value, int len, const struct Stat *st,
                         const void *data);

/* One read; mu held, not closed. */
static bool send_one(struct zk_walk *w, const char *path, enum msg_kind kind)
{
    struct zk *z = w->z;
    struct req *r;
    int rc;
    if (!z || !z->zh || !(r = zk_req_new(z, kind, path, w->tag)))
        return false;
    r->epoch = w->epoch;
    r->walk = w;
    w->refs++;
    w->st.in_flight++;
    if (kind == MSG_CHILDREN)
        rc = zoo_aget_children2(z->zh, path, 0, walk_children_cb, r);
    else
        rc = zoo_aget(z->zh, path, 0, walk_data_cb, r);
    if (rc != ZOK) {
        w->refs--;
        w->st.in_flight--;
        r->walk = NULL;
        zk_req_free(r);
        if (!w->st.rc)
            w->st.rc = rc;
        return false;
    }
    w->st.sent++;
    if (w->st.in_flight > w->st.peak)
        w->st.peak = w->st.in_flight;
    return true;
}

/* Sends from the FIFO up to the window; mu held. */
static void send_more(struct zk_walk *w)
{
    while (!stopping(w) && w->head < w->tail && w->st.in_flight < w->window) {
        char *path = w->todo[w->head++];
        bool ok = send_one(w, path, MSG_CHILDREN);
        if (ok && (w->flags & WALK_DATA))
            ok = send_one(w, path, MSG_DATA);
        free(path);
        if (!ok && !w->st.rc)
            w->st.rc = ZSYSTEMERROR;
    }
}

/* The walk is over when nothing is in flight and nothing more will be
 * sent: its end message, unless nobody wants it. mu held. */
static struct msg *maybe_end(struct zk_walk *w)
{
    struct msg *m;
    if (w->end_sent || w->st.in_flight > 0 || (w->head < w->tail && !stopping(w)))
        return NULL;
    w->end_sent = true;
    w->st.done = true;
    w->st.ended_ms = now_ms();
    if (w->cancelled || !(m = calloc(1, sizeof *m)))
        return NULL;
    m->kind = MSG_WALK_END;
    m->epoch = w->epoch;
    m->tag = w->tag;
    m->rc = w->st.rc;
    m->res = zk_res_of(w->st.rc);
    m->path = strdup(w->top);
    return m;
}

static void walk_destroy(struct zk_walk *w)
{
    if (w->z) {
        pthread_mutex_lock(&w->z->walks_mu);
        if (w->prev)
            w->prev->next = w->next;
        else
            w->z->walks = w->next;
        if (w->next)
            w->next->prev = w->prev;
        pthread_mutex_unlock(&w->z->walks_mu);
    }
    while (w->head < w->tail)
        free(w->todo[w->head++]);
    free(w->todo);
    free(w->top);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

/* Lets go of one hold (mu not held); the last frees the walk. */
static void walk_unref(struct zk_walk *w)
{
    bool last;
    pthread_mutex_lock(&w->mu);
    last = --w->refs == 0;
    pthread_mutex_unlock(&w->mu);
    if (last)
        walk_destroy(w);
}

/* Counts an answer; mu held. */
static void count(struct zk_walk *w, int rc, enum msg_kind kind)
{
    w->st.in_flight--;
    if (rc == ZOK && kind == MSG_CHILDREN)
        w->st.listed++;
    else if (rc == ZOK)
        w->st.data++;
    else if (rc == ZNONODE)
        w->st.gone += kind == MSG_CHILDREN;
    else if (rc == ZNOAUTH)
        w->st.noauth += kind == MSG_CHILDREN;
    else if (fatal(rc)) {
        if (!w->st.rc)
            w->st.rc = rc;
    } else
        w->st.errors++;
}

/* Pushes the reply and the end (if it came), drops the request. */
static void finish(struct zk_walk *w, struct req *r, struct msg *m, struct msg *end)
{
    if (m)
        queue_push(w->q, m);
    if (end)
        queue_push(w->q, end);
    r->walk = NULL;
    zk_req_free(r);
    walk_unref(w);
}

static bool wanted(struct zk_walk *w)
{
    bool yes;
    pthread_mutex_lock(&w->mu);
    yes = !w->cancelled;
    pthread_mutex_unlock(&w->mu);
    return yes;
}

static void walk_children_cb(int rc, const struct String_vector *sv, const struct Stat *st,
                             const void *data)
{
    /* Runs on the ZooKeeper completion thread (or on the thread closing the
     * handle, for what it cancels). */
    struct req *r = (struct req *)data;
    struct zk_walk *w = r->walk;
    struct msg *m = NULL, *end;
    if (wanted(w) && (m = zk_reply_new(r, rc)))
        zk_reply_children(m, rc, sv, st, !(w->flags & WALK_NO_NAMES));
    pthread_mutex_lock(&w->mu);
    count(w, rc, MSG_CHILDREN);
    for (int32_t i = 0; rc == ZOK && sv && i < sv->count && !stopping(w); i++) {
        char *kid = path_join(r->path, sv->data[i]);
        if (!kid || !todo_push(w, kid)) {
            free(kid);
            w->st.rc = ZSYSTEMERROR; /* out of memory: the walk stops here */
        }
    }
    send_more(w);
    end = maybe_end(w);
    pthread_mutex_unlock(&w->mu);
    finish(w, r, m, end);
}

static void walk_data_cb(int rc, const char *value, int len, const struct Stat *st,
                         const void *data)
{
    /* Runs on the ZooKeeper completion thread (or on the thread closing the
     * handle, for what it cancels). */
    struct req *r = (struct req *)data;
    struct zk_walk *w = r->walk;
    struct msg *m = NULL, *end;
    if (wanted(w) && (m = zk_reply_new(r, rc)))
        zk_reply_data(m, rc, value, len, st);
    pthread_mutex_lock(&w->mu);
    count(w, rc, MSG_DATA);
    send_more(w);
    end = maybe_end(w);
    pthread_mutex_unlock(&w->mu);
    finish(w, r, m, end);
}

struct zk_walk *zk_walk_start(struct zk *z, const char *path, int window, unsigned flags,
                              uint16_t id)
{
    struct zk_walk *w = calloc(1, sizeof *w);
    char *first;
    bool sent;
    if (!w)
        return NULL;
    if (!(w->top = strdup(path)) || !(first = strdup(path))) {
        free(w->top);
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    w->z = z;
    w->q = z->q;
    w->tag = TAG_BULK | TAG_SCAN | (uint32_t)id << 16;
    w->epoch = zk_epoch(z);
    w->flags = flags;
    /* A node's list and its data go together, so WALK_DATA may pass the
     * window by one. */
    w->window = window < 1 ? 1 : window;
    w->refs = 1;
    w->st.started_ms = now_ms();
    pthread_mutex_lock(&z->walks_mu);
    w->next = z->walks;
    if (z->walks)
        z->walks->prev = w;
    z->walks = w;
    pthread_mutex_unlock(&z->walks_mu);
    pthread_mutex_lock(&w->mu);
    if (!todo_push(w, first))
        free(first);
    send_more(w);
    sent = w->st.sent > 0;
    if (!sent)
        w->cancelled = true; /* nothing went: no message either */
    pthread_mutex_unlock(&w->mu);
    if (!sent) {
        walk_unref(w);
        return NULL;
    }
    return w;
}

void zk_walk_stats(struct zk_walk *w, struct walk_stats *out)
{
    pthread_mutex_lock(&w->mu);
    *out = w->st;
    pthread_mutex_unlock(&w->mu);
}

void zk_walk_release(struct zk_walk *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->cancelled = true;
    pthread_mutex_unlock(&w->mu);
    walk_unref(w);
}

void zk_walks_close(struct zk *z)
{
    pthread_mutex_lock(&z->walks_mu);
    for (struct zk_walk *w = z->walks; w; w = w->next) {
        pthread_mutex_lock(&w->mu);
        w->closed = true;
        pthread_mutex_unlock(&w->mu);
    }
    pthread_mutex_unlock(&z->walks_mu);
}

void zk_walk_req_dropped(struct zk_walk *w)
{
    pthread_mutex_lock(&w->mu);
    w->st.in_flight--;
    if (!w->st.rc)
        w->st.rc = ZCLOSING;
    if (w->st.in_flight == 0 && !w->end_sent) {
        /* Its session is gone: nobody waits for an end message. */
        w->end_sent = w->st.done = true;
        w->st.ended_ms = now_ms();
    }
    pthread_mutex_unlock(&w->mu);
    walk_unref(w);
}

void zk_walks_detach(struct zk *z)
{
    /* The client's threads are joined: only this thread is left. */
    pthread_mutex_lock(&z->walks_mu);
    while (z->walks) {
        struct zk_walk *w = z->walks;
        z->walks = w->next;
        w->prev = w->next = NULL;
        w->z = NULL;
    }
    pthread_mutex_unlock(&z->walks_mu);
}
