/* Bulk walks on the tree: * (open a subtree whole), --open, and the
 * watches a walk's lists get once they are on screen. The walk itself is
 * src/zk/walk.c; its replies come here through app_drain. UI thread only. */
#include "ui/app.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/datafmt.h"
#include "zk/walk.h"

long long app_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long app_bulk_elapsed(const struct bulk_run *b)
{
    return app_mono_ms() - b->t0;
}

const char *app_count_text(uint64_t n, char *buf, size_t len)
{
    char digits[24];
    size_t nd = (size_t)snprintf(digits, sizeof digits, "%" PRIu64, n), o = 0;
    for (size_t i = 0; i < nd && o + 2 < len; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

uint16_t app_bulk_id(struct app *a)
{
    if (++a->walk_ids == 0)
        a->walk_ids = 1;
    return a->walk_ids;
}

/* A walk this big gives its freed memory back when it ends. */
#define BIG_WALK 10000

static void run_clear(struct bulk_run *b)
{
    zk_walk_release(b->walk);
    free(b->top);
    memset(b, 0, sizeof *b);
}

/* "45,120 nodes in 3.2 s (13,900/s)" */
static void totals(const struct bulk_run *b, char *buf, size_t len)
{
    long long ms = app_bulk_elapsed(b);
    char n[32], rate[32];
    app_count_text(b->nodes, n, sizeof n);
    app_count_text(ms > 0 ? b->nodes * 1000 / (uint64_t)ms : b->nodes, rate, sizeof rate);
    snprintf(buf, len, "%s node%s in %.1f s (%s/s)", n, b->nodes == 1 ? "" : "s", ms / 1000.0,
             rate);
}

/* The walk is over (rc 0), stopped by the operator (why "Esc") or cut
 * short (rc: the code that stopped it). */
static void expand_end(struct app *a, int rc, const char *why)
{
    struct bulk_run *b = &a->expand;
    char top[160], sum[100], wide[128] = "", max[32], nwide[32];
    struct walk_stats st;
    text_shown(b->top, top, sizeof top);
    zk_walk_stats(b->walk, &st);
    if (!why && !rc && st.listed == 0 && (st.gone || st.noauth)) {
        /* Its own list was refused: nothing to open. */
        app_error(a, "cannot open %s whole: %s", top,
                  st.gone ? "it is gone" : "no permission to list it (NOAUTH)");
        run_clear(b);
        return;
    }
    totals(b, sum, sizeof sum);
    if (b->wide)
        snprintf(wide, sizeof wide, "; %s node%s with more than %s children left closed (l lists)",
                 app_count_text(b->wide, nwide, sizeof nwide), b->wide == 1 ? "" : "s",
                 app_count_text((uint64_t)a->max_children, max, sizeof max));
    if (why) {
        snprintf(a->info, sizeof a->info, "stopped expanding %s (%.40s): %s; what is loaded "
                 "stays%s", top, why, sum, wide);
        a->error[0] = '\0';
    } else if (rc)
        app_error(a, "expanding %s stopped: %s, after %s%s", top, zk_strerror(rc), sum, wide);
    else {
        snprintf(a->info, sizeof a->info, "expanded %s: %s%s", top, sum, wide);
        a->error[0] = '\0';
    }
    /* The walk's messages were made on the client's thread and freed on
     * this one: glibc keeps that memory in the other thread's arena unless
     * told to give it back (about 30 B a node on 100,000). */
    if (b->nodes >= BIG_WALK)
        malloc_trim(0);
    run_clear(b);
    a->dirty = true;
}

void app_expand_all(struct app *a, struct node *n)
{
    struct bulk_run *b = &a->expand;
    char top[300];
    uint16_t id = app_bulk_id(a);
    struct zk_walk *w;
    if (b->walk)
        expand_end(a, 0, "another * began");
    text_shown(n->path, top, sizeof top);
    if (a->state != CONN_CONNECTED && a->state != CONN_READONLY) {
        app_error(a, "cannot open %s whole: not connected", top);
        return;
    }
    if (!(b->top = strdup(n->path)) ||
        !(w = zk_walk_start(a->zk, n->path, a->walk_window, 0, id))) {
        app_error(a, "cannot open %s whole: %s", top, b->top ? "not connected" : "out of memory");
        run_clear(b);
        return;
    }
    b->walk = w;
    b->id = id;
    b->t0 = app_mono_ms();
    if (!(n->flags & NODE_EXPANDED)) {
        n->flags |= NODE_EXPANDED;
        a->store->shape_gen++;
    }
    a->info[0] = a->error[0] = '\0';
    a->dirty = true;
}

/* One list of the walk: into the store without a watch, the node opened. */
static void expand_reply(struct app *a, const struct msg *m)
{
    struct bulk_run *b = &a->expand;
    struct node *n = store_get(a->store, m->path);
    uint32_t pending;
    if (m->kind == MSG_WALK_END) {
        expand_end(a, m->rc, NULL);
        return;
    }
    /* Not there: its parent's list, read again since, no longer names it. */
    if (m->kind != MSG_CHILDREN || !n)
        return;
    /* A watched read of it still on its way stays so. */
    pending = n->flags & NODE_KIDS_PENDING;
    store_apply(a->store, m, &a->needs);
    if (m->res != ZRES_OK || !(n = store_get(a->store, m->path)))
        return;
    n->flags |= pending;
    b->nodes++;
    if (!(n->flags & NODE_WATCH_KIDS))
        n->flags |= NODE_BULK;
    /* The operator asked for everything: a huge list is read too, but
     * left closed, its count showing (the top excepted: asked for by name). */
    if (n->nkids > (uint32_t)a->max_children && strcmp(n->path, b->top) != 0) {
        b->wide++;
    } else if (n->nkids > 0 && !(n->flags & NODE_EXPANDED)) {
        n->flags |= NODE_EXPANDED;
        a->store->shape_gen++;
    }
    /* As for any list read: locks and registries in it are found. */
    monitor_children(&a->mon, a->store, n, app_now_ms(), &a->log, &a->needs);
}

void app_bulk_reply(struct app *a, const struct msg *m)
{
    uint16_t id = zk_walk_id(m->tag);
    if (a->expand.walk && id == a->expand.id)
        expand_reply(a, m);
    else
        app_find_reply(a, m);
}

bool app_bulk_stop(struct app *a)
{
    bool any = false;
    if (a->expand.walk) {
        expand_end(a, 0, "Esc");
        any = true;
    }
    return app_find_stop(a, "Esc") || any;
}

void app_bulk_session_lost(struct app *a)
{
    if (a->expand.walk)
        expand_end(a, 0, "the session expired");
    app_find_stop(a, "the session expired");
}

bool app_bulk_progress(const struct app *a, char *buf, size_t len)
{
    const struct bulk_run *b = &a->expand;
    size_t used = 0;
    buf[0] = '\0';
    if (b->walk) {
        char top[200], n[32], rate[32];
        long long ms = app_bulk_elapsed(b);
        used += (size_t)snprintf(buf, len, "expanding %s: %s nodes, %s/s, %.1f s",
                                 text_shown(b->top, top, sizeof top),
                                 app_count_text(b->nodes, n, sizeof n),
                                 app_count_text(ms > 0 ? b->nodes * 1000 / (uint64_t)ms : 0, rate,
                                                sizeof rate),
                                 ms / 1000.0);
    }
    if (used < len && app_find_progress(a, buf + used + (used ? 2 : 0),
                                        len - used - (used ? 2 : 0))) {
        if (used)
            memcpy(buf + used, "; ", 2);
        used = strlen(buf);
    }
    if (used && used + 16 < len)
        snprintf(buf + used, len - used, " - Esc stops");
    return used > 0;
}

void app_bulk_free(struct app *a)
{
    run_clear(&a->expand);
    free(a->open_path);
    a->open_path = NULL;
    app_big_free(a);
}

void app_open_at_start(struct app *a, const char *path)
{
    free(a->open_path);
    a->open_path = strdup(path);
    app_jump_to(a, path);
}

void app_bulk_follow(struct app *a)
{
    struct node *n;
    if (a->open_path && !app_jump_busy(a)) {
        n = app_selected(a);
        if (strcmp(n->path, a->open_path) == 0)
            app_expand_all(a, n);
        /* Not there (the jump said why), or the operator went elsewhere. */
        if (!a->select_after || strcmp(a->select_after, a->open_path) != 0) {
            free(a->open_path);
            a->open_path = NULL;
        }
    }
    app_big_follow(a);
}

/* ---- watches for what a walk read, once it shows ---------------------- */

/* A list read by a bulk walk gets its watch when it is on screen: an
 * open node drawn, or the parent of a row drawn. So a walk of 100,000
 * nodes arms only as many watches as the operator has looked at. */
static void watch_list(struct app *a, struct node *n)
{
    if ((n->flags & NODE_BULK) &&
        !(n->flags & (NODE_WATCH_KIDS | NODE_KIDS_PENDING | NODE_NOAUTH)))
        need_add(&a->needs, NEED_KIDS, n->path);
}

void app_watch_visible(struct app *a)
{
    size_t end = a->tree_top + (size_t)(a->tree_height > 0 ? a->tree_height : 0);
    if (a->screen != SCREEN_TREE || (a->state != CONN_CONNECTED && a->state != CONN_READONLY))
        return;
    if (end > a->rows.n)
        end = a->rows.n;
    for (size_t i = a->tree_top; i < end; i++) {
        struct node *n = a->rows.v[i];
        if (n->flags & NODE_EXPANDED)
            watch_list(a, n);
        if (n->parent)
            watch_list(a, n->parent);
    }
    app_send_needs(a);
}
