#include "kids.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"

/* Every block starts with this header. A leaf holds node pointers; an
 * inner block holds its children blocks with each one's entry count, so
 * that the i-th entry is found by counting down, and a name by comparing
 * with each child's first entry. Every block but the root holds at least
 * MIN_FILL entries; every leaf but a root one has room for KIDS_LEAF. */
struct kids {
    uint16_t n;      /* entries */
    uint16_t room;   /* entries it has room for */
    uint16_t height; /* 0: a leaf */
    uint16_t unused;
};

struct kleaf {
    struct kids h;
    struct node *v[];
};

struct kinner {
    struct kids h;
    uint32_t cnt[KIDS_LEAF];
    struct kids *c[KIDS_LEAF];
};

#define MIN_FILL (KIDS_LEAF / 4)

/* A list of up to KIDS_ROOT is one array, grown by doubling: an insert
 * moves at most 4 KB, and a short list does not pay for an inner block. */
#define KIDS_ROOT 512

static struct kleaf *leaf(struct kids *b) { return (struct kleaf *)b; }
static const struct kleaf *cleaf(const struct kids *b) { return (const struct kleaf *)b; }
static struct kinner *inner(struct kids *b) { return (struct kinner *)b; }
static const struct kinner *cinner(const struct kids *b) { return (const struct kinner *)b; }

static struct kids *leaf_new(uint16_t room)
{
    struct kids *b = malloc(sizeof(struct kleaf) + room * sizeof(struct node *));
    if (b)
        *b = (struct kids){ .n = 0, .room = room, .height = 0 };
    return b;
}

static struct kids *inner_new(uint16_t height)
{
    struct kids *b = malloc(sizeof(struct kinner));
    if (b)
        *b = (struct kids){ .n = 0, .room = KIDS_LEAF, .height = height };
    return b;
}

/* Room for a single-array list of n: a power of two, at least 4. */
static uint16_t small_room(uint32_t n)
{
    uint16_t r = 4;
    while (r < n)
        r = (uint16_t)(r * 2);
    return r;
}

static uint32_t blk_count(const struct kids *b)
{
    uint32_t t = 0;
    if (!b->height)
        return b->n;
    for (uint16_t i = 0; i < b->n; i++)
        t += cinner(b)->cnt[i];
    return t;
}

uint32_t kids_count(const struct kids *k)
{
    return k ? blk_count(k) : 0;
}

int kids_height(const struct kids *k)
{
    return k ? k->height : 0;
}

static const struct node *blk_first(const struct kids *b)
{
    while (b->height)
        b = cinner(b)->c[0];
    return cleaf(b)->v[0];
}

struct node *kids_at(const struct kids *k, uint32_t i)
{
    const struct kids *b = k;
    while (b->height) {
        const struct kinner *in = cinner(b);
        uint16_t c = 0;
        while (i >= in->cnt[c])
            i -= in->cnt[c++];
        b = in->c[c];
    }
    return cleaf(b)->v[i];
}

uint32_t kids_search(const struct kids *k, const char *name, bool *found)
{
    const struct kids *b = k;
    uint32_t base = 0, lo, hi;
    *found = false;
    if (!k)
        return 0;
    while (b->height) {
        /* The last child whose first entry is not past name. */
        const struct kinner *in = cinner(b);
        uint16_t l = 1, h = in->h.n;
        while (l < h) {
            uint16_t mid = (uint16_t)(l + (h - l) / 2);
            if (strcmp(blk_first(in->c[mid])->name, name) <= 0)
                l = (uint16_t)(mid + 1);
            else
                h = mid;
        }
        for (uint16_t c = 0; c + 1 < l; c++)
            base += in->cnt[c];
        b = in->c[l - 1];
    }
    lo = 0;
    hi = b->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(cleaf(b)->v[mid]->name, name);
        if (c == 0) {
            *found = true;
            return base + mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return base + lo;
}

/* Entries of blocks of one height, moved as a whole: node pointers in a
 * leaf, children with their counts in an inner block. */
static void ent_move(struct kids *dst, uint16_t di, const struct kids *src, uint16_t si, uint16_t n)
{
    if (!dst->height) {
        memmove(leaf(dst)->v + di, cleaf(src)->v + si, n * sizeof(struct node *));
    } else {
        memmove(inner(dst)->c + di, cinner(src)->c + si, n * sizeof(struct kids *));
        memmove(inner(dst)->cnt + di, cinner(src)->cnt + si, n * sizeof(uint32_t));
    }
}

/* Splits the full block b (its entries plus one more, at index at) into b
 * and r (empty, of b's height): b keeps the first half. The new entry is
 * put by put(block, index, ctx). */
static void split(struct kids *b, struct kids *r, uint16_t at,
                  void (*put)(struct kids *, uint16_t, const void *), const void *e)
{
    uint16_t total = (uint16_t)(b->n + 1), keep = (uint16_t)((total + 1) / 2);
    if (at < keep) {
        /* the new entry lands in b: b gives up its last total - keep */
        ent_move(r, 0, b, (uint16_t)(keep - 1), (uint16_t)(b->n - (keep - 1)));
        r->n = (uint16_t)(b->n - (keep - 1));
        b->n = (uint16_t)(keep - 1);
        ent_move(b, (uint16_t)(at + 1), b, at, (uint16_t)(b->n - at));
        b->n++;
        put(b, at, e);
    } else {
        uint16_t rat = (uint16_t)(at - keep);
        ent_move(r, 0, b, keep, (uint16_t)(at - keep));
        ent_move(r, (uint16_t)(rat + 1), b, at, (uint16_t)(b->n - at));
        r->n = (uint16_t)(b->n - keep + 1);
        b->n = keep;
        put(r, rat, e);
    }
}

static void put_node(struct kids *b, uint16_t at, const void *e)
{
    leaf(b)->v[at] = (struct node *)e;
}

static void put_child(struct kids *b, uint16_t at, const void *e)
{
    struct kids *c = (struct kids *)e;
    inner(b)->c[at] = c;
    inner(b)->cnt[at] = blk_count(c);
}

static bool grow_root_leaf(struct kids **kp)
{
    struct kids *k = *kp;
    uint16_t room = (uint16_t)(k->room * 2);
    struct kids *g = realloc(k, sizeof(struct kleaf) + room * sizeof(struct node *));
    if (!g)
        return false;
    g->room = room;
    *kp = g;
    return true;
}

bool kids_insert(struct kids **kp, uint32_t at, struct node *v)
{
    struct kids *path[KIDS_MAXH], *spare[KIDS_MAXH + 1] = { 0 }, *b, *right = NULL;
    uint16_t ci[KIDS_MAXH];
    int h = 0, need = 0, used = 0;
    uint32_t i = at;
    if (!*kp && !(*kp = leaf_new(4)))
        return false;
    b = *kp;
    if (!b->height && b->n == b->room && b->room < KIDS_ROOT) {
        if (!grow_root_leaf(kp))
            return false;
        b = *kp;
    } else if (!b->height && b->n == b->room) {
        /* The array is full: it becomes a tree of full leaves. */
        struct node *all[KIDS_ROOT + 1];
        struct kids *t;
        memcpy(all, leaf(b)->v, at * sizeof *all);
        all[at] = v;
        memcpy(all + at + 1, leaf(b)->v + at, (b->n - at) * sizeof *all);
        if (!kids_build(all, (uint32_t)b->n + 1, &t))
            return false;
        free(b);
        *kp = t;
        return true;
    }
    while (b->height) {
        struct kinner *in = inner(b);
        uint16_t c = 0;
        /* At a boundary, the end of the left child. */
        while (c + 1 < in->h.n && i > in->cnt[c])
            i -= in->cnt[c++];
        if (h + 2 >= KIDS_MAXH)
            return false; /* past 2^32 entries: cannot happen */
        path[h] = b;
        ci[h++] = c;
        b = in->c[c];
    }
    /* Every block that will split gets its new sibling before anything
     * moves, so that running out of memory changes nothing. */
    if (b->n == b->room) {
        int d = h - 1;
        if (!(spare[need++] = leaf_new(KIDS_LEAF)))
            goto oom;
        for (; d >= 0 && path[d]->n == KIDS_LEAF; d--)
            if (!(spare[need++] = inner_new(path[d]->height)))
                goto oom;
        if (d < 0 && !(spare[need++] = inner_new((uint16_t)(h + 1))))
            goto oom;
    }
    if (b->n < b->room) {
        ent_move(b, (uint16_t)(i + 1), b, (uint16_t)i, (uint16_t)(b->n - i));
        leaf(b)->v[i] = v;
        b->n++;
    } else {
        right = spare[used++];
        split(b, right, (uint16_t)i, put_node, v);
    }
    for (int d = h - 1; d >= 0; d--) {
        struct kinner *in = inner(path[d]);
        uint16_t c = ci[d];
        if (!right) {
            in->cnt[c]++;
            continue;
        }
        in->cnt[c] = blk_count(in->c[c]);
        if (in->h.n < KIDS_LEAF) {
            ent_move(path[d], (uint16_t)(c + 2), path[d], (uint16_t)(c + 1),
                     (uint16_t)(in->h.n - c - 1));
            in->h.n++;
            put_child(path[d], (uint16_t)(c + 1), right);
            right = NULL;
        } else {
            struct kids *r = spare[used++];
            split(path[d], r, (uint16_t)(c + 1), put_child, right);
            right = r;
        }
    }
    if (right) {
        struct kids *root = spare[used++];
        put_child(root, 0, *kp);
        put_child(root, 1, right);
        root->n = 2;
        *kp = root;
    }
    return true;
oom:
    while (need > 0)
        free(spare[--need]);
    return false;
}

/* Child c of in fell under MIN_FILL: merged with a neighbour when both fit
 * in one block, else the two share their entries evenly. */
static void rebalance(struct kinner *in, uint16_t c)
{
    uint16_t l = (uint16_t)(c + 1 < in->h.n ? c : c - 1), r = (uint16_t)(l + 1);
    struct kids *a = in->c[l], *b = in->c[r];
    uint16_t total = (uint16_t)(a->n + b->n);
    if (total <= KIDS_LEAF) {
        ent_move(a, a->n, b, 0, b->n);
        a->n = total;
        in->cnt[l] += in->cnt[r];
        free(b);
        ent_move(&in->h, r, &in->h, (uint16_t)(r + 1), (uint16_t)(in->h.n - r - 1));
        in->h.n--;
        return;
    }
    if (a->n > total / 2) {
        uint16_t give = (uint16_t)(a->n - total / 2);
        ent_move(b, give, b, 0, b->n);
        ent_move(b, 0, a, (uint16_t)(a->n - give), give);
        a->n = (uint16_t)(a->n - give);
        b->n = (uint16_t)(b->n + give);
    } else {
        uint16_t take = (uint16_t)(total / 2 - a->n);
        ent_move(a, a->n, b, 0, take);
        ent_move(b, 0, b, take, (uint16_t)(b->n - take));
        a->n = (uint16_t)(a->n + take);
        b->n = (uint16_t)(b->n - take);
    }
    in->cnt[l] = blk_count(a);
    in->cnt[r] = blk_count(b);
}

static void rem(struct kids *b, uint32_t i)
{
    struct kinner *in;
    uint16_t c = 0;
    if (!b->height) {
        ent_move(b, (uint16_t)i, b, (uint16_t)(i + 1), (uint16_t)(b->n - i - 1));
        b->n--;
        return;
    }
    in = inner(b);
    while (i >= in->cnt[c])
        i -= in->cnt[c++];
    rem(in->c[c], i);
    in->cnt[c]--;
    if (in->c[c]->n < MIN_FILL && in->h.n > 1)
        rebalance(in, c);
}

void kids_remove(struct kids **kp, uint32_t at)
{
    struct kids *k = *kp;
    rem(k, at);
    while (k->height && k->n == 1) {
        struct kids *only = inner(k)->c[0];
        free(k);
        k = only;
    }
    if (!k->height && k->n == 0) {
        free(k);
        k = NULL;
    }
    *kp = k;
}

void kids_free(struct kids *k)
{
    if (!k)
        return;
    if (k->height)
        for (uint16_t i = 0; i < k->n; i++)
            kids_free(inner(k)->c[i]);
    free(k);
}

/* Blocks of the next level up over n blocks of one level: as few as hold
 * them, each as full as the others. */
static bool build_level(struct kids **v, uint32_t n, uint16_t height, struct kids ***up,
                        uint32_t *nup)
{
    uint32_t np = (n + KIDS_LEAF - 1) / KIDS_LEAF, at = 0;
    struct kids **p = malloc(np * sizeof *p);
    if (!p)
        return false;
    for (uint32_t j = 0; j < np; j++) {
        uint16_t take = (uint16_t)(n / np + (j < n % np));
        if (!(p[j] = inner_new(height))) {
            for (uint32_t q = 0; q < j; q++)
                free(p[q]); /* the children stay in v: the caller frees them */
            free(p);
            return false;
        }
        for (uint16_t e = 0; e < take; e++)
            put_child(p[j], e, v[at + e]);
        p[j]->n = take;
        at += take;
    }
    *up = p;
    *nup = np;
    return true;
}

bool kids_build(struct node *const *v, uint32_t n, struct kids **out)
{
    struct kids **level, **up;
    uint32_t nl, at = 0, nup;
    uint16_t height = 0;
    *out = NULL;
    if (n == 0)
        return true;
    if (n <= KIDS_ROOT) {
        struct kids *b = leaf_new(small_room(n));
        if (!b)
            return false;
        memcpy(leaf(b)->v, v, n * sizeof *v);
        b->n = (uint16_t)n;
        *out = b;
        return true;
    }
    nl = (n + KIDS_LEAF - 1) / KIDS_LEAF;
    if (!(level = malloc(nl * sizeof *level)))
        return false;
    for (uint32_t j = 0; j < nl; j++) {
        uint16_t take = (uint16_t)(n / nl + (j < n % nl));
        if (!(level[j] = leaf_new(KIDS_LEAF))) {
            nl = j;
            goto oom;
        }
        memcpy(leaf(level[j])->v, v + at, take * sizeof *v);
        level[j]->n = take;
        at += take;
    }
    while (nl > 1) {
        if (!build_level(level, nl, ++height, &up, &nup))
            goto oom;
        free(level);
        level = up;
        nl = nup;
    }
    *out = level[0];
    free(level);
    return true;
oom:
    for (uint32_t j = 0; j < nl; j++)
        kids_free(level[j]);
    free(level);
    return false;
}

struct node *kids_first(const struct kids *k, struct kids_iter *it)
{
    int d = 0;
    it->top = -1;
    if (!k || k->n == 0)
        return NULL;
    for (;;) {
        it->b[d] = k;
        it->at[d] = 0;
        if (!k->height)
            break;
        k = cinner(k)->c[0];
        d++;
    }
    it->top = d;
    return cleaf(k)->v[0];
}

struct node *kids_next(struct kids_iter *it)
{
    int d = it->top;
    const struct kids *b;
    if (d < 0)
        return NULL;
    if (++it->at[d] < it->b[d]->n)
        return cleaf(it->b[d])->v[it->at[d]];
    while (--d >= 0 && ++it->at[d] >= it->b[d]->n)
        ;
    if (d < 0) {
        it->top = -1;
        return NULL;
    }
    b = cinner(it->b[d])->c[it->at[d]];
    for (;;) {
        it->b[++d] = b;
        it->at[d] = 0;
        if (!b->height)
            break;
        b = cinner(b)->c[0];
    }
    return cleaf(b)->v[0];
}

static int check_blk(const struct kids *b, bool root, uint16_t height)
{
    if (b->height != height)
        return __LINE__;
    if (!root && b->n < MIN_FILL)
        return __LINE__;
    if (b->n > b->room || b->n == 0)
        return __LINE__;
    if (!b->height)
        return (root ? b->room > KIDS_ROOT || (b->room & (b->room - 1)) : b->room != KIDS_LEAF)
                   ? __LINE__
                   : 0;
    if (root && b->n < 2)
        return __LINE__;
    for (uint16_t i = 0; i < b->n; i++) {
        int bad = check_blk(cinner(b)->c[i], false, (uint16_t)(height - 1));
        if (bad)
            return bad;
        if (cinner(b)->cnt[i] != blk_count(cinner(b)->c[i]))
            return __LINE__;
    }
    return 0;
}

int kids_check(const struct kids *k)
{
    struct kids_iter it;
    const struct node *prev = NULL;
    uint32_t seen = 0;
    int bad;
    if (!k)
        return 0;
    if ((bad = check_blk(k, true, k->height)))
        return bad;
    for (const struct node *n = kids_first(k, &it); n; n = kids_next(&it)) {
        if (prev && strcmp(prev->name, n->name) >= 0)
            return __LINE__;
        if (kids_at(k, seen) != n)
            return __LINE__;
        prev = n;
        seen++;
    }
    return seen == kids_count(k) ? 0 : __LINE__;
}
