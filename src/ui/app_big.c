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

/* Held back until n's Stat says how long the list is; the Stat is asked
 * for once. need_has is a hash lookup: the lock finder can hold back
 * thousands at start. */
static void wait_add(struct app *a, struct node *n, enum need_kind kind)
{
    if (need_has(&a->kids_wait, kind, n->path))
        return; /* held back already */
    if (!(n->flags & NODE_STAT_PENDING)) {
        if (!zk_exists(a->zk, n->path, 0))
            return; /* not connected: asked again on reconnecting */
        n->flags |= NODE_STAT_PENDING;
    }
    need_add(&a->kids_wait, kind, n->path);
}

/* A read goes now, unless it is a list too long to read without asking
 * (its count shows, opening it asks) or of unknown length (its Stat
 * first). */
static bool gate_keep(void *ctx, const struct need *nd)
{
    struct app *a = ctx;
    struct node *n = store_get(a->store, nd->path);
    if ((nd->kind == NEED_KIDS || nd->kind == NEED_SCAN) && n && !kids_allowed(a, n)) {
        if (!(n->flags & NODE_HAS_STAT))
            wait_add(a, n, nd->kind);
        return false;
    }
    return true;
}

void app_gate_needs(struct app *a)
{
    need_filter(&a->needs, gate_keep, a);
}

/* A held-back list whose Stat has come is read if short enough, and (for
 * the selection) only while still wanted; one still waiting stays. */
static bool follow_keep(void *ctx, const struct need *nd)
{
    struct app *a = ctx;
    struct node *n = store_get(a->store, nd->path);
    if (n && !(n->flags & NODE_HAS_STAT) && (n->flags & NODE_STAT_PENDING))
        return true; /* still on its way */
    if (n && kids_allowed(a, n) &&
        (nd->kind == NEED_SCAN || (n->flags & (NODE_SELECTED | NODE_EXPANDED | NODE_MONITOR))))
        need_add(&a->needs, nd->kind, nd->path);
    return false;
}

static void wait_follow(struct app *a)
{
    need_filter(&a->kids_wait, follow_keep, a);
}

static void wait_free(struct app *a)
{
    need_free(&a->kids_wait);
}

