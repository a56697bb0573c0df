/* Inside src/zk only: the session and its requests, shared by session.c
 * and the bulk walks (walk.c), which send on the same handle and whose
 * requests are tracked and freed the same way. Not for the other rooms. */
#ifndef ZKTUI_ZK_SESSION_INT_H
#define ZKTUI_ZK_SESSION_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <zookeeper/zookeeper.h>

#include "model/msg.h"
#include "model/queue.h"

struct zk_walk;

struct zk {
    zhandle_t *zh;
    bool read_only;            /* no change is ever sent */
    unsigned long writes;      /* changes sent, ever */
    struct queue *q;
    char *hosts;
    int timeout_ms;
    FILE *log;
    _Atomic uint32_t epoch;
    atomic_bool was_connected; /* in this epoch: tells reconnecting apart */
    int in_flight;
    char **creds;              /* "scheme:credential", sent on every handle */
    size_t ncreds;
    char **ids;                /* the digest ids (user:HASH) of the digest ones */
    size_t nids;
    pthread_mutex_t live_mu;   /* guards live */
    struct req *live;          /* requests sent and not yet answered */
    pthread_mutex_t walks_mu;  /* guards walks; taken before a walk's own */
    struct zk_walk *walks;     /* bulk walks not yet freed (walk.c) */
};

/* Per request: what to put on the reply. */
struct req {
    struct req *prev, *next; /* in z->live, until answered or refused */
    struct zk *z;
    struct zk_walk *walk;    /* the bulk walk it belongs to, or NULL */
    uint32_t epoch;
    uint32_t tag;
    enum msg_kind kind;
    enum write_op op;
    int32_t version;
    char path[];
};

/* A request for path, linked into z->live (any thread). NULL when out of
 * memory. */
struct req *zk_req_new(struct zk *z, enum msg_kind kind, const char *path, uint32_t tag);
/* Unlinks r from its session's live requests and frees it (any thread). */
void zk_req_free(struct req *r);

/* The model's reading of a C client return code. */
enum zres zk_res_of(int rc);

/* A reply message for r with the client's code rc (NULL when out of
 * memory); r is not freed. */
struct msg *zk_reply_new(const struct req *r, int rc);
/* Fills a children reply: the names (unless names is false) and the Stat. */
void zk_reply_children(struct msg *m, int rc, const struct String_vector *sv,
                       const struct Stat *st, bool names);
/* Fills a data reply: a copy of the data and the Stat. */
void zk_reply_data(struct msg *m, int rc, const char *value, int len, const struct Stat *st);

/* walk.c's side of a session's life, UI thread: before zookeeper_close,
 * every walk stops sending (so nothing is sent on a closing handle);
 * a request the closed client never answered drops its walk's share;
 * after the session is freed, walks still held by their owner forget it. */
void zk_walks_close(struct zk *z);
void zk_walk_req_dropped(struct zk_walk *w);
void zk_walks_detach(struct zk *z);

#endif
