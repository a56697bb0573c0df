/* What zktui follows beyond the tree: lock queues and service registries.
 * The monitor finds them in the store as replies arrive, keeps their nodes
 * watched (NODE_MONITOR), asks for the contenders' and members' stat and
 * data, and turns what changes into events. UI thread only (or the one
 * thread of a batch run). See DESIGN.md, "Locks".
 *
 * Lock roots (configured, or any node named locks, lock or semaphores):
 * the root's own children are locks when they carry sequence numbers, and
 * every child of the root is watched as a lock. Any other watched node
 * whose children carry sequence numbers is a lock once one of them is an
 * ephemeral. Semaphores: kazoo keeps the holders of <x> as plain children
 * of <x> (the data of <x> is the most there may be) and queues in the lock
 * <x>-__lock__; Curator's InterProcessSemaphoreV2 queues in <x>/locks and
 * its holders are the children of <x>/leases.
 *
 * Registries (configured, default /servers, or any node named services and
 * each of its children): every child that comes is an ONLINE event, every
 * child that goes an OFFLINE one, found by diffing each new child list
 * against the one before. */
#ifndef ZKTUI_MODEL_MONITOR_H
#define ZKTUI_MODEL_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "locks.h"
#include "store.h"

enum lock_kind { LK_MUTEX, LK_RW, LK_SEM_KAZOO, LK_SEM_CURATOR };

struct lock_row {
    struct node *node;  /* valid until the store next changes */
    long long seq;      /* -1: a kazoo semaphore lease (not sequential) */
    enum lock_role role;
    enum lock_recipe recipe;
    bool holds;
};

#define LOCK_RATE_SAMPLES 64

/* A contender seen holding: since when (exact only if zktui saw it take
 * the lock), and whether its taking it is in the log yet. */
struct lock_holder {
    char *name;
    int64_t since;      /* local ms; 0: it already held when first seen */
    bool announced;
};

struct lock_view {
    char *path;            /* the lock, or the semaphore's <x> */
    char *queue_path;      /* where contenders queue (== path for a lock) */
    enum lock_kind kind;
    bool configured;       /* found under a lock root */
    bool shown;            /* worth a place in the panel */
    bool primed;           /* seen once: changes from now on are events */
    bool exact;            /* its list is current: new holders' times exact
                              (false after a disconnect until re-read) */
    bool stuck;            /* a holder has held longer than hold_warn */
    struct lock_row *rows; /* holders first, then waiters in queue order */
    size_t nrows, caprows;
    size_t nholders;
    long max_leases;       /* semaphores: the most holders; -1 unknown */
    size_t waiting_max;    /* most waiters seen at once */
    struct lock_holder *held; /* the holders last seen */
    size_t nheld, capheld;
    char *released;        /* the last holder that let go (a mutex's "was") */
    uint64_t changes;      /* acquisitions and releases seen */
    int64_t log_window;    /* start of the current 10 s of its log lines */
    unsigned log_count;    /* lines logged in it */
    unsigned long log_dropped; /* lines not logged since the last one */
    long long skew_seq;    /* queued contenders up to this number sampled */
    long long top_seq;     /* the highest sequence number seen, -1 none */
    /* one sample a second: the highest number and the queue's length */
    struct { int64_t t; long long seq; size_t n; } rate[LOCK_RATE_SAMPLES];
    size_t nrate;
    uint64_t sig;          /* what rows were built from (0: build again) */
    uint64_t builds;       /* times rows were built */
};

struct reg_member {
    char *name;
    int64_t owner;          /* ephemeralOwner, 0 persistent or unknown */
    int64_t ctime;          /* server ms; 0 unknown */
    char *data;             /* first bytes, display-safe; NULL unknown */
    int64_t seen;           /* local ms it was first seen */
    int64_t mzxid;          /* of the data in data */
    bool known;             /* owner, ctime and data were read */
    bool announced;         /* its ONLINE is in the log (or it predates us) */
    bool recheck;           /* read it again: we were away, it may have
                               gone and come back under the same name */
};

struct registry {
    char *path;
    bool configured;
    bool loaded;            /* a first list was read: later joins are events */
    struct reg_member *m;       /* sorted by name, byte order */
    size_t n, cap;
};

struct monitor {
    char **lock_roots, **service_roots; /* configured paths (owned) */
    size_t n_lock_roots, n_service_roots;
    struct lock_view *locks;
    size_t nlocks, caplocks;
    struct registry *regs;
    size_t nregs, capregs;
    bool skew_known;
    int64_t skew;           /* local clock minus the server's, ms */
    int64_t hold_warn_ms;   /* a holder held longer is highlighted */
    uint64_t seen_gen;      /* store->gen at the last refresh */
    uint64_t gen;           /* bumped when what the panels show changed */
    size_t scanned;         /* lists read looking for locks and registries */
    char *focus;            /* a path looked under as deep as the top (or NULL) */
    size_t max_kids;        /* more sequential children than this: not taken
                               for a lock unless under a lock root */
    char *too_big[8];       /* such nodes already said in the log */
    size_t ntoo_big;
};

/* Sets up an empty monitor following the given roots (copied; NULL lists
 * with 0 counts are fine). False when out of memory. */
bool monitor_init(struct monitor *mo, char *const *lock_roots, size_t n_lock_roots,
                  char *const *service_roots, size_t n_service_roots);
void monitor_free(struct monitor *mo);

/* Marks the way to the configured roots in s, so that they are found and
 * stay watched; appends the reads that needs. Call once connected, and
 * after each drain (it is cheap when nothing is missing). */
void monitor_roots(struct monitor *mo, struct store *s, struct need_list *needs);

/* Looks for locks and registries under path too (its way is watched, the
 * scan goes as deep under it as under the root), without making it a lock
 * root. False when out of memory. */
bool monitor_focus(struct monitor *mo, const char *path);

/* After a child list of n was applied to s: finds locks and registries
 * among n's children, logs joins and leaves of a registry. */
void monitor_children(struct monitor *mo, struct store *s, struct node *n, int64_t now_ms,
                      struct event_log *log, struct need_list *needs);

/* After a batch of replies: rebuilds the lock views (holder changes go to
 * the log), announces registry joins whose data has come, asks for what
 * contenders and members still lack. now_ms: local wall clock. */
void monitor_refresh(struct monitor *mo, struct store *s, int64_t now_ms,
                     struct event_log *log, struct need_list *needs);

/* The server's clock now, from the local one (skew-corrected). */
int64_t monitor_server_now(const struct monitor *mo, int64_t now_ms);

/* How long a row has held (holders) or waited (waiters), ms; -1 unknown.
 * *upper is set when only an upper bound is known (a holder that already
 * held when zktui first saw the lock). */
int64_t lock_row_age(const struct monitor *mo, const struct lock_view *v, size_t i,
                     int64_t now_ms, bool *upper);

/* Waiters now, and the longest current wait (ms, -1 unknown). */
size_t lock_waiting(const struct lock_view *v);
int64_t lock_longest_wait(const struct monitor *mo, const struct lock_view *v, int64_t now_ms);

/* Acquisitions per minute over about the last minute: contenders that
 * queued (the highest sequence number seen moves once per contender,
 * whether or not we saw it) less the growth of the queue; -1 until 5 s
 * have been watched. */
double lock_rate(const struct lock_view *v, int64_t now_ms);

/* The connection was lost: what changes until the lists are read again
 * has no exact time, and each registry member is read again (one that
 * left and came back under the same name meanwhile is logged). */
void monitor_unsettle(struct monitor *mo, struct store *s);

/* True when the panels show n's data, or the monitor reads it: a lock's
 * contender or lease (or a kazoo semaphore's node, holding its size) or a
 * registry member. The store keeps such data however full its cache: were
 * it dropped, the monitor would read it again at once. */
bool monitor_keeps_data(const struct monitor *mo, const struct node *n);

/* The lock view at path, or NULL. */
const struct lock_view *monitor_lock(const struct monitor *mo, const char *path);

const char *lock_kind_name(enum lock_kind k); /* "mutex", "rw", "semaphore" */

#endif
