/* The watch budget. On reconnecting, the C client re-sends every watch it
 * holds in one SetWatches packet, and the server refuses one past 1 MB
 * (jute.maxbuffer): the client then reconnects every half second, forever.
 * So the armed watches' bytes are counted (the store keeps the count true),
 * and past watch_budget the watches on what is no longer on screen are
 * removed, on the server and in the client, the least recently shown first.
 * A list left unwatched keeps its rows and is read again with a watch when
 * it shows (NODE_BULK, as a bulk walk's). UI thread only. */
#include "ui/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zk/session.h"

/* Each path in SetWatches: a 4-byte length, then the path as the server
 * knows it (the chroot first). */
static size_t per_watch(const struct app *a)
{
    const char *chroot = strchr(zk_hosts(a->zk), '/');
    return 4 + (chroot && chroot[1] ? strlen(chroot) : 0);
}

size_t app_watch_wire(const struct app *a)
{
    return a->store->watch_bytes + (size_t)a->store->watches * per_watch(a);
}

/* On screen now (the rows drawn and the lists they belong to), selected,
 * or followed: keeps its watches. The root's are a few bytes. */
static bool keeps_watch(void *ctx, const struct node *n)
{
    const struct app *a = ctx;
    return n->seen == a->store->tick || !n->parent ||
           (n->flags & (NODE_SELECTED | NODE_MONITOR));
}

static void mark_seen(struct app *a)
{
    size_t end = a->tree_top + (size_t)(a->tree_height > 0 ? a->tree_height : 0);
    uint32_t t = ++a->store->tick;
    if (t == 0)
        t = ++a->store->tick; /* 0 is never */
    if (a->screen != SCREEN_TREE)
        return;
    if (end > a->rows.n)
        end = a->rows.n;
    for (size_t i = a->tree_top; i < end; i++) {
        struct node *n = a->rows.v[i];
        n->seen = t;
        if (n->parent)
            n->parent->seen = t;
    }
}

void app_watch_budget(struct app *a)
{
    mark_seen(a);
    app_watch_shed(a);
}

void app_watch_shed(struct app *a)
{
    size_t wire, goal = a->watch_budget / 4 * 3;
    struct node **v;
    size_t k;
    if (a->state != CONN_CONNECTED && a->state != CONN_READONLY)
        return;
    wire = app_watch_wire(a);
    if (wire <= a->watch_budget || a->store->watches == a->unwatch_futile)
        return;
    k = store_pick_unwatch(a->store, wire - goal, per_watch(a), keeps_watch, a, &v);
    for (size_t i = 0; i < k; i++) {
        struct node *n = v[i];
        bool kids = n->flags & NODE_WATCH_KIDS, data = n->flags & NODE_WATCH_DATA;
        if (!zk_unwatch(a->zk, n->path, kids, data))
            continue;
        store_unwatch(a->store, n, NODE_WATCH_KIDS | NODE_WATCH_DATA);
        a->unwatched += (uint64_t)kids + data;
    }
    free(v);
    /* Still over: what is left is on screen or followed; try again once
     * the count moves. */
    a->unwatch_futile = app_watch_wire(a) > a->watch_budget ? a->store->watches : UINT32_MAX;
    a->dirty = true;
}

void app_unwatch_reply(struct app *a, const struct msg *m)
{
    struct node *n = store_get(a->store, m->path);
    /* Removed, or gone already (it fired, or the node went): as counted. */
    if (m->res == ZRES_OK || m->res == ZRES_NONODE || !n)
        return;
    /* Not removed (the connection dropped meanwhile): the client still
     * holds it and would re-send it; count it again, to go next time. */
    store_watch(a->store, n, m->event == WEV_CHANGED ? NODE_WATCH_DATA : NODE_WATCH_KIDS, true);
    a->unwatch_futile = UINT32_MAX;
}
