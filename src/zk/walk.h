/* Bulk walks: every node of a subtree read over the one session, many
 * reads in flight at once (a bounded window), without watches. Each node
 * costs one getChildren2 (its child names and its Stat), and a getData
 * when WALK_DATA asks for it. The next reads are sent from the ZooKeeper
 * completion thread as each list arrives, so the thread that consumes the
 * replies is not on the refill path; each reply still crosses the queue
 * as a message (MSG_CHILDREN, MSG_DATA) tagged TAG_BULK | TAG_SCAN with
 * the walk's id above bit 16, and a MSG_WALK_END follows the last one.
 *
 * The owner (UI thread, or the one thread of a batch run) starts a walk,
 * reads its counts, and releases it when done with it or to cancel it;
 * replies still in flight then arrive and are dropped without a message.
 * A walk survives its session closing or expiring (it just stops). */
#ifndef ZKTUI_ZK_WALK_H
#define ZKTUI_ZK_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "zk/session.h"

struct zk_walk;

enum walk_flag {
    WALK_DATA = 1u << 0,     /* also read each node's data (MSG_DATA) */
    WALK_NO_NAMES = 1u << 1, /* the lists' names stay out of the messages
                                (the walk still follows them) */
};

struct walk_stats {
    uint64_t sent;        /* reads sent */
    uint64_t listed;      /* lists read (nodes found, the top included) */
    uint64_t data;        /* data read (WALK_DATA) */
    uint64_t gone;        /* NONODE: deleted while walking */
    uint64_t noauth;      /* lists refused (NOAUTH): not gone into */
    uint64_t errors;      /* other refusals */
    long in_flight;
    long peak;            /* most in flight at once */
    long long started_ms; /* CLOCK_MONOTONIC, when the first read went */
    long long ended_ms;   /* when the last answer came; 0 while running */
    bool done;            /* nothing in flight, nothing left to send */
    int rc;               /* 0, or the C client's code that stopped it */
};

/* Starts walking the subtree at path (absolute) on z with at most window
 * reads in flight; id (16 bits) goes into each message's tag. NULL when
 * out of memory or the first read cannot be sent (not connected). Owner's
 * thread (the one that owns z). */
struct zk_walk *zk_walk_start(struct zk *z, const char *path, int window, unsigned flags,
                              uint16_t id);

/* The counts so far (a consistent copy). Owner's thread. */
void zk_walk_stats(struct zk_walk *w, struct walk_stats *out);

/* Cancels the walk if it still runs (no more reads sent, no more messages
 * pushed) and gives up the owner's hold on it; w must not be used after.
 * NULL is fine. Owner's thread, before or after zk_free. */
void zk_walk_release(struct zk_walk *w);

/* The id carried by a walk's message (m->tag has TAG_SCAN). */
static inline uint16_t zk_walk_id(uint32_t tag)
{
    return (uint16_t)(tag >> 16);
}

#endif
