/* The znode store: every node zktui has seen, by path (hash table) and as a
 * tree (sorted children), with the watch bookkeeping that keeps it live.
 * UI thread only (or the one thread of a batch run). */
#ifndef ZKTUI_MODEL_STORE_H
#define ZKTUI_MODEL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "kids.h"
#include "msg.h"
#include "zstat.h"

enum node_flag {
    NODE_HAS_STAT = 1u << 0,
    NODE_HAS_DATA = 1u << 1,
    NODE_HAS_ACL = 1u << 2,
    NODE_KIDS_LOADED = 1u << 3,  /* kids is the server's list as last read */
    NODE_EXPANDED = 1u << 4,     /* the operator opened it */
    NODE_SELECTED = 1u << 5,     /* under the cursor: data + stat watched */
    NODE_WATCH_KIDS = 1u << 6,   /* a child watch is armed on the server */
    NODE_WATCH_DATA = 1u << 7,   /* a data watch is armed on the server */
    NODE_STAT_PENDING = 1u << 8, /* a stat read is in flight */
    NODE_KIDS_PENDING = 1u << 9,
    NODE_DATA_PENDING = 1u << 10,
    NODE_NOAUTH = 1u << 11,      /* the server refused to let us read it */
    NODE_MONITOR = 1u << 12,     /* a lock or registry (or the way to one):
                                    its children are kept watched */
    NODE_BULK = 1u << 13,        /* kids came from a bulk walk, or its watch
                                    was removed (store_unwatch), unwatched:
                                    watched once shown, not re-read on resync */
};

/* A node's data and ACL, as last read: only for nodes whose data or ACL was
 * read (most never are), in the store's list of payloads, least recently
 * used first, so that the oldest can be dropped (store_trim). */
struct node_pay {
    char *data;             /* valid with NODE_HAS_DATA; NULL = null data */
    struct acl_entry *acl;  /* valid with NODE_HAS_ACL */
    int32_t data_len;
    int32_t n_acl;
    struct node *node;      /* whose it is */
    struct node_pay *older, *newer;
};

/* One block of the store's arena (arena.h): the node and its path. Most of
 * the store's memory is here, so what only some nodes have lives behind
 * pay. */
struct node {
    struct node *parent; /* NULL for the root */
    struct kids *kids;   /* sorted by name, byte order (kids.h) */
    struct node *hnext;  /* hash chain */
    struct node_pay *pay; /* NULL unless data or an ACL was read */
    const char *name;    /* points into path: the last segment */
    struct zstat stat;   /* valid with NODE_HAS_STAT */
    uint32_t nkids;      /* entries in kids */
    uint32_t flags;      /* enum node_flag */
    uint32_t row;        /* index in the last store_flatten result */
    uint32_t seen;       /* s->tick when last on screen (0: never) */
    char path[];         /* full path ("/" for the root) */
};

/* n's i-th child in name order (i < n->nkids): O(log n). To go through
 * them all, kids_first/kids_next. */
static inline struct node *node_kid(const struct node *n, uint32_t i)
{
    return kids_at(n->kids, i);
}

/* n's data and its length (valid with NODE_HAS_DATA: NULL and 0 for null
 * data), its ACL and entry count (valid with NODE_HAS_ACL). */
static inline const char *node_data(const struct node *n)
{
    return n->pay ? n->pay->data : NULL;
}

static inline int32_t node_data_len(const struct node *n)
{
    return n->pay ? n->pay->data_len : 0;
}

static inline const struct acl_entry *node_acl(const struct node *n)
{
    return n->pay ? n->pay->acl : NULL;
}

static inline int32_t node_n_acl(const struct node *n)
{
    return n->pay ? n->pay->n_acl : 0;
}

/* What the store asks for after applying a message: reads to send. */
enum need_kind {
    NEED_KIDS, /* children + stat, with a child watch */
    NEED_DATA, /* data + stat, with a data watch */
    NEED_ACL,  /* the ACL, no watch */
    NEED_INFO, /* data + stat once, no watch (lock contenders, members) */
    NEED_SCAN, /* children once, no watch (looking for locks and registries) */
};

struct need {
    enum need_kind kind;
    char *path; /* owned by the list */
};

struct need_list {
    struct need *v;
    size_t n;
    size_t cap;
    uint32_t *slot; /* past a few entries, where each is (index + 1, by hash,
                       0 free), so that a burst of needs is not quadratic */
    size_t nslot;
};

/* Appends a need unless the list has it already. O(1) on average. */
void need_add(struct need_list *l, enum need_kind kind, const char *path);
/* Whether l holds kind for path. O(1) on average. */
bool need_has(const struct need_list *l, enum need_kind kind, const char *path);
/* Keeps, in order, the entries keep says to keep; frees the others' paths.
 * keep may add to other lists, not to l. */
void need_filter(struct need_list *l, bool (*keep)(void *ctx, const struct need *nd), void *ctx);
void need_clear(struct need_list *l); /* frees the paths, keeps the array */
void need_free(struct need_list *l);

struct store {
    struct node *root;
    struct node **buckets; /* chained; as many as nodes at most (load <= 1) */
    size_t nbuckets;
    size_t count;          /* nodes, root included */
    uint64_t shape_gen;    /* bumped when the visible shape may change */
    uint64_t gen;          /* bumped on any change worth a redraw */
    uint32_t watches;      /* armed watches (child + data) */
    size_t watch_bytes;    /* bytes of their paths (SetWatches sends each
                              with a 4-byte length, and the chroot if any) */
    uint32_t tick;         /* bumped each frame; on-screen nodes get it in seen */
    size_t data_cache;     /* payload bytes store_trim keeps (16 MiB at first) */
    size_t data_bytes;     /* payload bytes held now (structs, data, ACLs) */
    size_t npay;
    struct node_pay *pay_oldest, *pay_newest;
    struct arena nodes;    /* where the nodes (with their paths) live */
};

/* A store holding only the root "/". NULL when out of memory. */
struct store *store_new(void);
void store_free(struct store *s);

/* The node at path, or NULL. O(1) on average. */
struct node *store_get(const struct store *s, const char *path);

/* The node at path, creating it and any missing ancestors (without marking
 * anything loaded). NULL when out of memory or path is not absolute. */
struct node *store_ensure(struct store *s, const char *path);

/* Replaces n's children with names (any order, n entries): children not in
 * names are removed with their subtrees, new ones are added, kept ones keep
 * what is known of them. Marks n loaded. Returns false when out of memory
 * (n then holds its old list, or the new one less the children there was
 * no memory for). */
bool store_set_children(struct store *s, struct node *n, char *const *names, size_t count);

/* Removes n and its subtree (not the root: the root only loses its kids). */
void store_remove(struct store *s, struct node *n);

/* Keeps a copy of data (len bytes, NULL: null data) as n's data, marked
 * NODE_HAS_DATA; or of an ACL (n_acl entries), marked NODE_HAS_ACL. False
 * when out of memory (n then has none). */
bool store_set_data(struct store *s, struct node *n, const char *data, int32_t len);
bool store_set_acl(struct store *s, struct node *n, const struct acl_entry *acl, int32_t n_acl);

/* Forgets n's data (NODE_HAS_DATA cleared), to be read again when needed.
 * Asks no redraw. */
void store_forget_data(struct store *s, struct node *n);

/* While the payloads hold more than s->data_cache bytes, drops the least
 * recently used: data and ACL both, their flags cleared, so that whoever
 * shows them reads them again. Never the selected node's, nor those keep
 * says are in use (keep may be NULL); those count as used now. */
void store_trim(struct store *s, bool (*keep)(void *ctx, const struct node *n), void *ctx);

/* Appends what the selected node n needs read: its data (unless watched
 * and held), children (unless watched) and ACL. */
void store_need_selected(const struct node *n, struct need_list *needs);

/* Sets or clears watch flags, keeping s->watches and s->watch_bytes true. */
void store_watch(struct store *s, struct node *n, uint32_t flag, bool on);

/* The watched nodes whose watches to remove so that watch_bytes (each
 * watch counted as its path plus extra bytes) shrinks by at least over:
 * those keep does not keep (keep may be NULL), the least recently on
 * screen (seen) first. A malloc'd array in *out (NULL when none, or out of
 * memory); returns how many. */
size_t store_pick_unwatch(struct store *s, size_t over, size_t extra,
                          bool (*keep)(void *ctx, const struct node *n), void *ctx,
                          struct node ***out);

/* n's watches of flag (NODE_WATCH_KIDS and/or _DATA) are being removed:
 * uncounted; a list left unwatched is a snapshot (NODE_BULK: kept, read
 * again with a watch when it shows), data unwatched is forgotten. */
void store_unwatch(struct store *s, struct node *n, uint32_t flag);

/* Forgets every armed watch (the session that held them is gone). */
void store_forget_watches(struct store *s);

/* Applies a reply or watch event (m->epoch already checked by the caller):
 * updates nodes and appends to needs the reads that keep what is watched
 * live (re-arm after a watch fires). */
void store_apply(struct store *s, const struct msg *m, struct need_list *needs);

/* Appends to needs a re-read of everything that should be watched: children
 * of expanded (but not those a bulk walk opened and no one has looked at
 * since: NODE_BULK), monitored and selected nodes, data of the selected
 * one. Used after (re)connecting. */
void store_resync(struct store *s, struct need_list *needs);

/* Visible rows: top itself, then the children of every expanded node in
 * depth-first order. Sets each listed node's ->row. */
struct rows {
    struct node **v;
    uint16_t *depth; /* relative to top */
    size_t n;
    size_t cap;
};
bool store_flatten(struct store *s, struct node *top, struct rows *out);
void rows_free(struct rows *r);

#endif
