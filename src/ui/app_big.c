/* A node with more children than max_children: its count shows, and
 * opening it asks first ("/x has 60,000 children (about 1.4 MB to read):
 * list them? y/n"), its Stat read first when unknown. The reads nobody
 * opened a node for (the selection's list, the lock finder's scans) are
 * held back the same way. UI thread only. */
#include "ui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"

/* A child name is about this many bytes in a list reply (its length
 * prefix included): for the size said before listing. */
#define BYTES_PER_CHILD 24

static void wait_follow(struct app *a);
static void wait_free(struct app *a);

static void big_clear(struct app *a)
{
    free(a->big.path);
    a->big.path = NULL;
}

static void big_ask(struct app *a, struct node *n)
{
    char top[300], count[32], max[32];
    double mb = (double)n->stat.num_children * BYTES_PER_CHILD / 1e6;
    text_shown(n->path, top, sizeof top);
    app_count_text((uint64_t)n->stat.num_children, count, sizeof count);
    app_prompt_clear(a);
    a->prompt.kind = PROMPT_BIG_LIST;
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "More than max_children (%s) children: listing them reads them all at once",
             app_count_text((uint64_t)a->max_children, max, sizeof max));
    if (mb >= 0.1)
        snprintf(a->prompt.text, sizeof a->prompt.text,
                 "%s has %s children (about %.1f MB to read): list them? y/n", top, count, mb);
    else
        snprintf(a->prompt.text, sizeof a->prompt.text,
                 "%s has %s children (about %.0f KB to read): list them? y/n", top, count,
                 mb * 1000);
    a->dirty = true;
}

bool app_may_open(struct app *a, struct node *n, bool jump)
{
    /* Listed already (a bulk walk, a scan): reading it again costs the
     * same, but the question was for a list nobody has seen the size of. */
    if ((n->flags & NODE_KIDS_LOADED) || (a->big.ok && strcmp(a->big.ok, n->path) == 0))
        return true;
    if ((n->flags & NODE_HAS_STAT) && n->stat.num_children <= a->max_children)
        return true;
    if (a->big.path && strcmp(a->big.path, n->path) == 0)
        return false; /* asked already, or its Stat is on the way */
    big_clear(a);
    if (!(a->big.path = strdup(n->path)))
        return true;
    a->big.jump = jump;
    if (n->flags & NODE_HAS_STAT) {
        big_ask(a, n);
        return false;
    }
    /* Its size first (exists needs no permission). */
    if (!(n->flags & NODE_STAT_PENDING) && zk_exists(a->zk, n->path, 0))
        n->flags |= NODE_STAT_PENDING;
    return false;
}

void app_big_key(struct app *a, int key)
{
    struct node *n = a->big.path ? store_get(a->store, a->big.path) : NULL;
    char top[300];
    bool jump = a->big.jump;
    if (key == 'y' || key == 'Y') {
        app_prompt_clear(a);
        free(a->big.ok);
        a->big.ok = a->big.path;
        a->big.path = NULL;
        if (jump)
            app_jump_follow(a);
        else if (n)
            app_expand(a, n);
        return;
    }
    if (key != 'n' && key != 'N' && key != 'q' && key != 27 && key != 3)
        return; /* an answer is needed */
    app_prompt_clear(a);
    if (n) {
        snprintf(a->info, sizeof a->info, "%s left closed", text_shown(n->path, top, sizeof top));
        a->error[0] = '\0';
    }
    big_clear(a);
    if (jump)
        app_jump_cancel(a);
}

void app_big_follow(struct app *a)
{
    struct node *n;
    bool jump = a->big.jump;
    if (a->kids_wait.n)
        wait_follow(a);
    if (!a->big.path || a->prompt.kind == PROMPT_BIG_LIST)
        return;
    n = store_get(a->store, a->big.path);
    if (!n || (jump && !app_jump_busy(a))) {
        big_clear(a); /* gone, or the jump it was for was given up */
        return;
    }
    if (!(n->flags & NODE_HAS_STAT)) {
        if (!(n->flags & NODE_STAT_PENDING) && zk_exists(a->zk, n->path, 0))
            n->flags |= NODE_STAT_PENDING;
        return;
    }
    if (n->stat.num_children > a->max_children) {
        big_ask(a, n);
        return;
    }
    /* Small after all: on with what was asked. */
    big_clear(a);
    if (jump)
        app_jump_follow(a);
    else
        app_expand(a, n);
}

void app_big_free(struct app *a)
{
    free(a->big.path);
    free(a->big.ok);
    a->big.path = a->big.ok = NULL;
    wait_free(a);
}

/* ---- lists too long to read unasked ---------------------------------- */

static bool approved(const struct app *a, const struct node *n)
{
    return a->big.ok && strcmp(a->big.ok, n->path) == 0;
}

/* Whether n's list may be read without asking. */
static bool kids_allowed(const struct app *a, const struct node *n)
{
    return (n->flags & (NODE_KIDS_LOADED | NODE_EXPANDED | NODE_MONITOR)) || approved(a, n) ||
           ((n->flags & NODE_HAS_STAT) && n->stat.num_children <= a->max_children);
}

/* The held-back lists are looked up by path and kind through an open
 * hash of indices into v: the lock finder can hold back thousands at
 * start, and a list scanned for each of them would cost seconds. */
static uint64_t wait_hash(const char *path, enum need_kind kind)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)kind; /* FNV-1a */
    for (; *path; path++)
        h = (h ^ (unsigned char)*path) * 1099511628211ull;
    return h;
}

/* The slot holding path (kind), or the empty one where it would go. */
static size_t wait_slot(const struct kids_wait *w, const char *path, enum need_kind kind)
{
    size_t i = (size_t)wait_hash(path, kind) & (w->nslots - 1);
    for (;; i = (i + 1) & (w->nslots - 1)) {
        uint32_t k = w->slots[i];
        if (!k || (w->v[k - 1].kind == kind && strcmp(w->v[k - 1].path, path) == 0))
            return i;
    }
}

/* Makes the index again, with room for at least want entries. */
static bool wait_rehash(struct kids_wait *w, size_t want)
{
    size_t n = 64;
    uint32_t *slots;
    while (n < 2 * want)
        n *= 2;
    if (n != w->nslots && (slots = calloc(n, sizeof *slots))) {
        free(w->slots);
        w->slots = slots;
        w->nslots = n;
    } else if (w->nslots < 2 * want) {
        return false; /* out of memory: no room for them */
    }
    memset(w->slots, 0, w->nslots * sizeof *w->slots);
    for (size_t i = 0; i < w->n; i++)
        w->slots[wait_slot(w, w->v[i].path, w->v[i].kind)] = (uint32_t)i + 1;
    return true;
}

static void wait_add(struct app *a, struct node *n, enum need_kind kind)
{
    struct kids_wait *w = &a->kids_wait;
    size_t slot;
    char *p;
    if (2 * (w->n + 1) > w->nslots && !wait_rehash(w, w->n + 1))
        return;
    slot = wait_slot(w, n->path, kind);
    if (w->slots[slot])
        return; /* held back already */
    if (!(n->flags & NODE_STAT_PENDING)) {
        if (!zk_exists(a->zk, n->path, 0))
            return; /* not connected: asked again on reconnecting */
        n->flags |= NODE_STAT_PENDING;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        struct need *v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return;
        w->v = v;
        w->cap = cap;
    }
    if ((p = strdup(n->path))) {
        w->v[w->n].kind = kind;
        w->v[w->n].path = p;
        w->slots[slot] = (uint32_t)++w->n;
    }
}

void app_gate_needs(struct app *a)
{
    struct need_list *l = &a->needs;
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct need nd = l->v[i];
        struct node *n = store_get(a->store, nd.path);
        if ((nd.kind == NEED_KIDS || nd.kind == NEED_SCAN) && n && !kids_allowed(a, n)) {
            /* Too long: its count shows, opening it asks. Unknown: its Stat first. */
            if (!(n->flags & NODE_HAS_STAT))
                wait_add(a, n, nd.kind);
            free(nd.path);
            continue;
        }
        l->v[k++] = nd;
    }
    if (k != l->n) {
        /* need_add's index points at entries by position: make it again. */
        free(l->slot);
        l->slot = NULL;
        l->nslot = 0;
    }
    l->n = k;
}

/* The lists held back whose Stat has come: read if short enough. */
static void wait_follow(struct app *a)
{
    struct kids_wait *w = &a->kids_wait;
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++) {
        struct need nd = w->v[i];
        struct node *n = store_get(a->store, nd.path);
        if (n && !(n->flags & NODE_HAS_STAT) && (n->flags & NODE_STAT_PENDING)) {
            w->v[k++] = nd; /* still on its way */
            continue;
        }
        /* A list for the selection is still wanted only while selected. */
        if (n && kids_allowed(a, n) &&
            (nd.kind == NEED_SCAN || (n->flags & (NODE_SELECTED | NODE_EXPANDED | NODE_MONITOR))))
            need_add(&a->needs, nd.kind, nd.path);
        free(nd.path);
    }
    if (k != w->n) {
        w->n = k;
        wait_rehash(w, k);
    }
}

static void wait_free(struct app *a)
{
    for (size_t i = 0; i < a->kids_wait.n; i++)
        free(a->kids_wait.v[i].path);
    free(a->kids_wait.v);
    free(a->kids_wait.slots);
    memset(&a->kids_wait, 0, sizeof a->kids_wait);
}

