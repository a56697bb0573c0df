/* Turning replies and watch events into store changes, and deciding what to
 * re-read so that what is watched stays watched. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* Below this many entries a need list is searched in order. */
#define NEED_SLOTS_FROM 32

static size_t need_hash(enum need_kind kind, const char *path)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)kind; /* FNV-1a */
    for (; *path; path++)
        h = (h ^ (unsigned char)*path) * 1099511628211ull;
    return (size_t)h;
}

/* Where (kind, path) is in l->slot, or the free slot it would take. */
static uint32_t *need_slot(const struct need_list *l, enum need_kind kind, const char *path)
{
    size_t mask = l->nslot - 1, i = need_hash(kind, path) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t *at = &l->slot[i];
        const struct need *nd = *at ? &l->v[*at - 1] : NULL;
        if (!nd || (nd->kind == kind && strcmp(nd->path, path) == 0))
            return at;
    }
}

/* Slots for at least twice the entries there will be; false when out of
 * memory (the list is then searched in order). */
static bool need_slots_fit(struct need_list *l, size_t want)
{
    size_t ns = l->nslot ? l->nslot : 64;
    uint32_t *old = l->slot;
    if (want * 2 <= l->nslot)
        return true;
    while (ns < want * 2)
        ns *= 2;
    if (!(l->slot = calloc(ns, sizeof *l->slot))) {
        l->slot = old;
        return false;
    }
    free(old);
    l->nslot = ns;
    for (size_t i = 0; i < l->n; i++)
        *need_slot(l, l->v[i].kind, l->v[i].path) = (uint32_t)(i + 1);
    return true;
}

void need_add(struct need_list *l, enum need_kind kind, const char *path)
{
    uint32_t *slot = NULL;
    char *p;
    if (l->n >= NEED_SLOTS_FROM && l->n < UINT32_MAX && need_slots_fit(l, l->n + 1)) {
        if (*(slot = need_slot(l, kind, path)))
            return;
    } else {
        /* No index (or no memory for a larger one): it would miss this
         * entry, so there is none until the next burst makes it again. */
        free(l->slot);
        l->slot = NULL;
        l->nslot = 0;
        if (need_has(l, kind, path))
            return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct need *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return;
        l->v = v;
        l->cap = cap;
    }
    if (!(p = strdup(path)))
        return;
    l->v[l->n].kind = kind;
    l->v[l->n].path = p;
    l->n++;
    if (slot)
        *slot = (uint32_t)l->n;
}

bool need_has(const struct need_list *l, enum need_kind kind, const char *path)
{
    if (l->slot)
        return *need_slot(l, kind, path) != 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == kind && strcmp(l->v[i].path, path) == 0)
            return true;
    return false;
}

void need_filter(struct need_list *l, bool (*keep)(void *ctx, const struct need *nd), void *ctx)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct need nd = l->v[i];
        if (keep(ctx, &nd))
            l->v[k++] = nd;
        else
            free(nd.path);
    }
    if (k != l->n) {
        /* The index points at entries by position: made again when needed. */
        free(l->slot);
        l->slot = NULL;
        l->nslot = 0;
        l->n = k;
    }
}

void need_clear(struct need_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    l->n = 0;
    /* Rebuilt by the next burst: a short list needs none. */
    free(l->slot);
    l->slot = NULL;
    l->nslot = 0;
}

void need_free(struct need_list *l)
{
    need_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

/* A node is kept live while the operator can see into it, or while it is
 * a lock or registry zktui follows. */
static bool wants_kids(const struct node *n)
{
    return n->flags & (NODE_EXPANDED | NODE_SELECTED | NODE_MONITOR);
}

static void set_stat(struct store *s, struct node *n, const struct msg *m)
{
    if (!m->has_stat)
        return;
    n->stat = m->stat;
    n->flags |= NODE_HAS_STAT;
    s->gen++;
}

static void apply_watch(struct store *s, struct node *n, const struct msg *m,
                        struct need_list *needs)
{
    switch (m->event) {
    case WEV_CHILD:
        store_watch(s, n, NODE_WATCH_KIDS, false);
        if (wants_kids(n))
            need_add(needs, NEED_KIDS, n->path);
        else
            n->flags &= ~(uint32_t)NODE_KIDS_LOADED;
        break;
    case WEV_CHANGED:
        store_watch(s, n, NODE_WATCH_DATA, false);
        if (n->flags & NODE_SELECTED)
            need_add(needs, NEED_DATA, n->path);
        else
            store_forget_data(s, n);
        break;
    case WEV_DELETED:
        if (n == s->root) {
            store_watch(s, n, NODE_WATCH_KIDS | NODE_WATCH_DATA, false);
            break;
        }
        store_remove(s, n);
        break;
    case WEV_CREATED:
    case WEV_NOT_WATCHING:
        break;
    }
}

/* A read that says the node is not there: it went away. */
static void apply_gone(struct store *s, struct node *n)
{
    if (n == s->root)
        return;
    store_remove(s, n);
}

static void apply_children(struct store *s, struct node *n, const struct msg *m)
{
    n->flags &= ~(uint32_t)NODE_KIDS_PENDING;
    if (m->res != ZRES_OK)
        return;
    store_set_children(s, n, m->names, (size_t)m->n_names);
    set_stat(s, n, m);
}

static void apply_data(struct store *s, struct node *n, const struct msg *m)
{
    n->flags &= ~(uint32_t)NODE_DATA_PENDING;
    if (m->res != ZRES_OK)
        return;
    store_set_data(s, n, m->data, m->data_len);
    set_stat(s, n, m);
}

static void apply_acl(struct store *s, struct node *n, const struct msg *m)
{
    if (m->res != ZRES_OK)
        return;
    store_set_acl(s, n, m->acl, m->n_acl);
    set_stat(s, n, m);
}

static void apply_reply(struct store *s, struct node *n, const struct msg *m,
                        bool watched, struct need_list *needs)
{
    if (m->res == ZRES_NONODE) {
        apply_gone(s, n);
        return;
    }
    if (m->res == ZRES_NOAUTH) {
        n->flags |= NODE_NOAUTH;
        n->flags &= ~(uint32_t)(NODE_KIDS_PENDING | NODE_DATA_PENDING | NODE_STAT_PENDING);
        s->gen++;
        return;
    }
    /* Readable again (its ACL changed): no longer "no access". */
    if (m->res == ZRES_OK && (m->kind == MSG_DATA || m->kind == MSG_CHILDREN) &&
        (n->flags & NODE_NOAUTH)) {
        n->flags &= ~(uint32_t)NODE_NOAUTH;
        s->gen++;
    }
    switch (m->kind) {
    case MSG_CHILDREN:
        apply_children(s, n, m);
        if (watched && m->res == ZRES_OK)
            store_watch(s, n, NODE_WATCH_KIDS, true);
        /* A read without a watch (a scan) answered for a node that must be
         * kept live, its watched read having been skipped meanwhile. */
        else if (m->res == ZRES_OK && wants_kids(n) && !(n->flags & NODE_WATCH_KIDS) &&
                 !(m->tag & TAG_BULK))
            need_add(needs, NEED_KIDS, n->path);
        break;
    case MSG_DATA:
        apply_data(s, n, m);
        if (watched && m->res == ZRES_OK)
            store_watch(s, n, NODE_WATCH_DATA, true);
        break;
    case MSG_STAT:
        n->flags &= ~(uint32_t)NODE_STAT_PENDING;
        if (m->res == ZRES_OK)
            set_stat(s, n, m);
        break;
    case MSG_ACL:
        apply_acl(s, n, m);
        break;
    default:
        break;
    }
}

void store_apply(struct store *s, const struct msg *m, struct need_list *needs)
{
    struct node *n;
    if (!m->path || m->kind == MSG_SESSION)
        return;
    n = store_get(s, m->path);
    if (m->kind == MSG_WATCH) {
        if (n)
            apply_watch(s, n, m, needs);
        return;
    }
    /* A reply for a node the store dropped meanwhile (its parent's list no
     * longer names it) is stale: the parent's watch is the truth. */
    if (!n)
        return;
    apply_reply(s, n, m, m->tag & TAG_WATCH, needs);
}

void store_need_selected(const struct node *n, struct need_list *needs)
{
    /* A data watch outlives data dropped from the cache (store_trim). */
    if (!(n->flags & NODE_WATCH_DATA) || !(n->flags & NODE_HAS_DATA))
        need_add(needs, NEED_DATA, n->path);
    if (!(n->flags & NODE_WATCH_KIDS))
        need_add(needs, NEED_KIDS, n->path);
    need_add(needs, NEED_ACL, n->path);
}

static bool rows_push(struct rows *r, struct node *n, uint16_t depth)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct node **v = realloc(r->v, cap * sizeof *v);
        uint16_t *d;
        if (!v)
            return false;
        r->v = v;
        d = realloc(r->depth, cap * sizeof *d);
        if (!d)
            return false;
        r->depth = d;
        r->cap = cap;
    }
    n->row = (uint32_t)r->n;
    r->v[r->n] = n;
    r->depth[r->n] = depth;
    r->n++;
    return true;
}

static bool flatten_rec(struct node *n, uint16_t depth, struct rows *out)
{
    struct kids_iter it;
    if (!rows_push(out, n, depth))
        return false;
    if (!(n->flags & NODE_EXPANDED))
        return true;
    for (struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        if (!flatten_rec(k, (uint16_t)(depth + 1), out))
            return false;
    return true;
}

bool store_flatten(struct store *s, struct node *top, struct rows *out)
{
    (void)s;
    out->n = 0;
    return flatten_rec(top, 0, out);
}

void rows_free(struct rows *r)
{
    free(r->v);
    free(r->depth);
    memset(r, 0, sizeof *r);
}
