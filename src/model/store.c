#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "store_int.h"

static uint64_t hash_path(const char *p)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static bool table_grow(struct store *s)
{
    size_t nb = s->nbuckets ? s->nbuckets * 2 : 64;
    struct node **b = calloc(nb, sizeof *b);
    if (!b)
        return false;
    for (size_t i = 0; i < s->nbuckets; i++) {
        struct node *n = s->buckets[i];
        while (n) {
            struct node *next = n->hnext;
            size_t k = hash_path(n->path) & (nb - 1);
            n->hnext = b[k];
            b[k] = n;
            n = next;
        }
    }
    free(s->buckets);
    s->buckets = b;
    s->nbuckets = nb;
    return true;
}

static void table_del(struct store *s, struct node *n)
{
    struct node **pp = &s->buckets[hash_path(n->path) & (s->nbuckets - 1)];
    while (*pp && *pp != n)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = n->hnext;
}

/* A node named name under parent (NULL: the root "/"), its path built in
 * the same block as the node. Not yet linked into parent->kids. */
static struct node *node_new(struct store *s, struct node *parent, const char *name)
{
    size_t dlen = parent ? strlen(parent->path) : 0, nlen = strlen(name), k;
    size_t at = parent && parent->parent ? dlen + 1 : 1; /* where the name starts */
    struct node *n;
    if (s->count + 1 > s->nbuckets && !table_grow(s))
        return NULL;
    if (!(n = arena_alloc(&s->nodes, sizeof *n + at + nlen + 1)))
        return NULL;
    if (parent)
        memcpy(n->path, parent->path, dlen);
    n->path[at - 1] = '/';
    memcpy(n->path + at, name, nlen + 1);
    n->name = n->path + at;
    n->parent = parent;
    k = hash_path(n->path) & (s->nbuckets - 1);
    n->hnext = s->buckets[k];
    s->buckets[k] = n;
    s->count++;
    return n;
}

struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->data_cache = (size_t)16 << 20;
    s->root = node_new(s, NULL, "");
    if (!s->root) {
        arena_clear(&s->nodes);
        free(s->buckets);
        free(s);
        return NULL;
    }
    return s;
}

/* Frees the children of n and their subtrees; n keeps an empty list. */
static void kids_drop(struct store *s, struct node *n);

/* Frees n's subtree without touching n's parent. */
static void subtree_free(struct store *s, struct node *n)
{
    kids_drop(s, n);
    store_watch(s, n, NODE_WATCH_KIDS | NODE_WATCH_DATA, false);
    table_del(s, n);
    s->count--;
    pay_drop(s, n);
    arena_free(&s->nodes, n, sizeof *n + strlen(n->path) + 1);
}

static void kids_drop(struct store *s, struct node *n)
{
    struct kids_iter it;
    for (struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        subtree_free(s, k);
    kids_free(n->kids);
    n->kids = NULL;
    n->nkids = 0;
}

void store_free(struct store *s)
{
    if (!s)
        return;
    subtree_free(s, s->root);
    arena_clear(&s->nodes);
    free(s->buckets);
    free(s);
}

struct node *store_get(const struct store *s, const char *path)
{
    struct node *n = s->buckets[hash_path(path) & (s->nbuckets - 1)];
    while (n && strcmp(n->path, path) != 0)
        n = n->hnext;
    return n;
}

static struct node *kid_add(struct store *s, struct node *n, const char *name)
{
    bool found;
    uint32_t at = kids_search(n->kids, name, &found);
    struct node *k;
    if (found)
        return kids_at(n->kids, at);
    if (!(k = node_new(s, n, name)))
        return NULL;
    if (!kids_insert(&n->kids, at, k)) {
        subtree_free(s, k);
        return NULL;
    }
    n->nkids++;
    return k;
}

struct node *store_ensure(struct store *s, const char *path)
{
    struct node *n = store_get(s, path);
    size_t plen;
    char *parent;
    if (n)
        return n;
    if (path[0] != '/' || path[1] == '\0')
        return NULL;
    plen = path_parent_len(path);
    parent = strndup(path, plen);
    n = parent ? store_ensure(s, parent) : NULL;
    free(parent);
    if (!n)
        return NULL;
    s->shape_gen++;
    s->gen++;
    return kid_add(s, n, path_basename(path));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool store_set_children(struct store *s, struct node *n, char *const *names, size_t count)
{
    /* No list for a leaf: most nodes are leaves. */
    char **sorted = count ? malloc(count * sizeof *sorted) : NULL;
    struct node **merged = count ? malloc(count * sizeof *merged) : NULL;
    struct node **gone = n->nkids ? malloc(n->nkids * sizeof *gone) : NULL;
    struct kids *list;
    struct kids_iter it;
    struct node *old;
    size_t out = 0, j = 0, ngone = 0;
    bool ok = (!count || (sorted && merged)) && (!n->nkids || gone), changed = false;
    if (!ok) {
        free(sorted);
        free(merged);
        free(gone);
        return false;
    }
    if (count) {
        memcpy(sorted, names, count * sizeof *sorted);
        qsort(sorted, count, sizeof *sorted, cmp_str);
    }
    /* One merge pass over two sorted lists: leavers set aside, stayers
     * kept with what is known of them, joiners created. O(n log n) overall. */
    old = kids_first(n->kids, &it);
    while (old || j < count) {
        int c = !old ? 1 : j == count ? -1 : strcmp(old->name, sorted[j]);
        if (j > 0 && j < count && c >= 0 && strcmp(sorted[j], sorted[j - 1]) == 0) {
            j++; /* a duplicate name: the server never sends one, but be safe */
        } else if (c < 0) {
            gone[ngone++] = old;
            old = kids_next(&it);
            changed = true;
        } else if (c == 0) {
            merged[out++] = old;
            old = kids_next(&it);
            j++;
        } else {
            struct node *k = ok ? node_new(s, n, sorted[j]) : NULL;
            if (k)
                merged[out++] = k;
            else
                ok = false;
            changed = true;
            j++;
        }
    }
    free(sorted);
    if (!kids_build(merged, (uint32_t)out, &list)) {
        /* Out of memory for the new list: the old one stays as it was,
         * and the joiners go. */
        for (size_t q = 0; q < out; q++) {
            bool kept;
            kids_search(n->kids, merged[q]->name, &kept);
            if (!kept)
                subtree_free(s, merged[q]);
        }
        free(merged);
        free(gone);
        return false;
    }
    for (size_t q = 0; q < ngone; q++)
        subtree_free(s, gone[q]);
    free(gone);
    free(merged);
    kids_free(n->kids);
    n->kids = list;
    n->nkids = (uint32_t)out;
    n->flags |= NODE_KIDS_LOADED;
    /* The same list again (a re-read, a leaf's empty one) leaves the rows
     * as they are: no flattening of every row for it. */
    if (changed)
        s->shape_gen++;
    s->gen++;
    return ok;
}

void store_remove(struct store *s, struct node *n)
{
    struct node *p = n->parent;
    bool found;
    uint32_t at;
    s->shape_gen++;
    s->gen++;
    if (!p) {
        kids_drop(s, n);
        return;
    }
    at = kids_search(p->kids, n->name, &found);
    subtree_free(s, n);
    if (found) {
        kids_remove(&p->kids, at);
        p->nkids--;
    }
}

void store_watch(struct store *s, struct node *n, uint32_t flag, bool on)
{
    static const uint32_t kinds[] = { NODE_WATCH_KIDS, NODE_WATCH_DATA };
    for (size_t i = 0; i < 2; i++) {
        uint32_t f = kinds[i];
        if (!(flag & f) || !!(n->flags & f) == on)
            continue;
        if (on) {
            n->flags |= f;
            s->watches++;
            s->watch_bytes += strlen(n->path);
        } else {
            n->flags &= ~f;
            s->watches--;
            s->watch_bytes -= strlen(n->path);
        }
        s->gen++;
    }
}

struct pick {
    struct node **v;
    size_t n, cap;
    bool (*keep)(void *ctx, const struct node *n);
    void *ctx;
};

static void pick_rec(struct node *n, struct pick *p)
{
    struct kids_iter it;
    if ((n->flags & (NODE_WATCH_KIDS | NODE_WATCH_DATA)) && !(p->keep && p->keep(p->ctx, n))) {
        if (p->n == p->cap) {
            size_t cap = p->cap ? p->cap * 2 : 256;
            struct node **v = realloc(p->v, cap * sizeof *v);
            if (v) {
                p->v = v;
                p->cap = cap;
            }
        }
        if (p->n < p->cap)
            p->v[p->n++] = n;
    }
    for (struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        pick_rec(k, p);
}

/* Least recently on screen first; among those seen together, deeper (longer)
 * paths first, then by path, so that the choice does not depend on order. */
static int by_seen(const void *x, const void *y)
{
    const struct node *a = *(struct node *const *)x, *b = *(struct node *const *)y;
    size_t la, lb;
    if (a->seen != b->seen)
        return a->seen < b->seen ? -1 : 1;
    la = strlen(a->path), lb = strlen(b->path);
    if (la != lb)
        return la > lb ? -1 : 1;
    return strcmp(a->path, b->path);
}

static size_t watch_cost(const struct node *n, size_t extra)
{
    size_t kinds = !!(n->flags & NODE_WATCH_KIDS) + !!(n->flags & NODE_WATCH_DATA);
    return kinds * (strlen(n->path) + extra);
}

size_t store_pick_unwatch(struct store *s, size_t over, size_t extra,
                          bool (*keep)(void *ctx, const struct node *n), void *ctx,
                          struct node ***out)
{
    struct pick p = { NULL, 0, 0, keep, ctx };
    size_t k = 0, freed = 0;
    *out = NULL;
    if (over == 0)
        return 0;
    pick_rec(s->root, &p);
    if (p.n == 0) {
        free(p.v);
        return 0;
    }
    qsort(p.v, p.n, sizeof *p.v, by_seen);
    while (k < p.n && freed < over)
        freed += watch_cost(p.v[k++], extra);
    *out = p.v;
    return k;
}

void store_unwatch(struct store *s, struct node *n, uint32_t flag)
{
    if ((flag & NODE_WATCH_KIDS) && (n->flags & NODE_WATCH_KIDS)) {
        store_watch(s, n, NODE_WATCH_KIDS, false);
        n->flags |= NODE_BULK;
    }
    if ((flag & NODE_WATCH_DATA) && (n->flags & NODE_WATCH_DATA)) {
        store_watch(s, n, NODE_WATCH_DATA, false);
        store_forget_data(s, n);
    }
}

static void forget_rec(struct store *s, struct node *n)
{
    struct kids_iter it;
    store_watch(s, n, NODE_WATCH_KIDS | NODE_WATCH_DATA, false);
    n->flags &= ~(uint32_t)(NODE_STAT_PENDING | NODE_KIDS_PENDING | NODE_DATA_PENDING);
    for (struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        forget_rec(s, k);
}

void store_forget_watches(struct store *s)
{
    forget_rec(s, s->root);
}

static void resync_rec(struct node *n, struct need_list *needs)
{
    struct kids_iter it;
    if ((n->flags & (NODE_SELECTED | NODE_MONITOR)) ||
        ((n->flags & NODE_EXPANDED) && !(n->flags & NODE_BULK)))
        need_add(needs, NEED_KIDS, n->path);
    if (n->flags & NODE_SELECTED) {
        need_add(needs, NEED_DATA, n->path);
        need_add(needs, NEED_ACL, n->path);
    }
    /* Monitored nodes may sit under collapsed ones: visit every node held. */
    for (struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        resync_rec(k, needs);
}

void store_resync(struct store *s, struct need_list *needs)
{
    resync_rec(s->root, needs);
}
