#include "ui/app.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/path.h"

void app_error(struct app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->error, sizeof a->error, fmt, ap);
    va_end(ap);
    a->dirty = true;
}

struct node *app_selected(struct app *a)
{
    struct node *n = a->selected ? store_get(a->store, a->selected) : NULL;
    return n ? n : a->store->root;
}

/* Sends the reads in a->needs. */
static void send_needs(struct app *a)
{
    for (size_t i = 0; i < a->needs.n; i++) {
        const struct need *nd = &a->needs.v[i];
        struct node *n = store_get(a->store, nd->path);
        uint32_t pending = nd->kind == NEED_KIDS ? NODE_KIDS_PENDING
                         : nd->kind == NEED_DATA ? NODE_DATA_PENDING : 0;
        bool ok;
        if (!n || (n->flags & pending))
            continue;
        if (nd->kind == NEED_KIDS)
            ok = zk_get_children(a->zk, nd->path, true, 0);
        else if (nd->kind == NEED_DATA)
            ok = zk_get_data(a->zk, nd->path, true, 0);
        else
            ok = zk_get_acl(a->zk, nd->path, 0);
        if (ok)
            n->flags |= pending;
    }
    need_clear(&a->needs);
}

static void select_node(struct app *a, struct node *n)
{
    struct node *old = app_selected(a);
    char *path;
    if (old == n && a->selected)
        return;
    if (!(path = strdup(n->path)))
        return;
    old->flags &= ~(uint32_t)NODE_SELECTED;
    free(a->selected);
    a->selected = path;
    n->flags |= NODE_SELECTED;
    a->detail_top = 0;
    a->dirty = true;
    if (!(n->flags & NODE_WATCH_DATA))
        need_add(&a->needs, NEED_DATA, n->path);
    if (!(n->flags & NODE_WATCH_KIDS))
        need_add(&a->needs, NEED_KIDS, n->path);
    need_add(&a->needs, NEED_ACL, n->path);
    send_needs(a);
}

bool app_init(struct app *a, struct queue *q, struct zk *zk)
{
    memset(a, 0, sizeof *a);
    a->q = q;
    a->zk = zk;
    a->store = store_new();
    if (!a->store)
        return false;
    a->state = CONN_CONNECTING;
    a->store->root->flags |= NODE_EXPANDED | NODE_SELECTED;
    a->selected = strdup("/");
    a->dirty = true;
    return a->selected != NULL;
}

void app_fini(struct app *a)
{
    store_free(a->store);
    need_free(&a->needs);
    rows_free(&a->rows);
    free(a->selected);
}

static void on_session(struct app *a, const struct msg *m)
{
    char err[256];
    enum conn_state was = a->state;
    a->state = m->state;
    a->dirty = true;
    switch (m->state) {
    case CONN_CONNECTED:
    case CONN_READONLY:
        a->session_id = m->session_id;
        snprintf(a->server, sizeof a->server, "%s", m->server ? m->server : "");
        a->stale = false;
        a->ever_connected = true;
        /* Watches the client still holds come back by themselves; reads that
         * failed while we were away, and everything after an expiry, do not. */
        if (was != CONN_CONNECTED && was != CONN_READONLY)
            store_resync(a->store, &a->needs);
        break;
    case CONN_RECONNECTING:
        a->stale = true;
        break;
    case CONN_EXPIRED:
        a->stale = true;
        a->expiries++;
        store_forget_watches(a->store);
        if (!zk_renew(a->zk, err, sizeof err))
            app_error(a, "new session: %s", err);
        else
            a->state = CONN_CONNECTING;
        app_error(a, "session 0x%llx expired, a new one opened",
                  (unsigned long long)a->session_id);
        break;
    case CONN_AUTH_FAILED:
        app_error(a, "authentication failed");
        break;
    case CONN_CONNECTING:
    case CONN_CLOSED:
        break;
    }
}

static void note_error(struct app *a, const struct msg *m)
{
    if (m->kind == MSG_SESSION || m->kind == MSG_WATCH)
        return;
    if (m->res == ZRES_OTHER || m->res == ZRES_NOAUTH)
        app_error(a, "%s: %s", m->path ? m->path : "?", zk_strerror(m->rc));
    else if (m->res == ZRES_NONODE && m->path && strcmp(m->path, "/") == 0) {
        /* Only a chroot can be missing: the real root always exists. */
        const char *chroot = strchr(zk_hosts(a->zk), '/');
        app_error(a, "the chroot %s does not exist", chroot ? chroot : "/");
    }
}

void app_drain(struct app *a)
{
    struct msg *m = queue_take_all(a->q);
    while (m) {
        struct msg *next = m->next;
        /* Read the epoch each time: an expiry in this batch renews it, and
         * what the dead session sent after that is dropped. */
        if (m->epoch == zk_epoch(a->zk)) {
            if (m->kind != MSG_SESSION && m->kind != MSG_WATCH) {
                zk_reply_taken(a->zk);
                a->replies++;
            }
            if (m->kind == MSG_SESSION)
                on_session(a, m);
            else {
                note_error(a, m);
                store_apply(a->store, m, &a->needs);
            }
        }
        msg_free(m);
        m = next;
    }
    send_needs(a);
    if (a->store->gen != a->drawn_gen)
        a->dirty = true;
}

void app_sync_rows(struct app *a)
{
    struct node *sel;
    if (a->rows_gen == a->store->shape_gen && a->rows.n > 0)
        return;
    sel = app_selected(a);
    /* The selected node may be gone (deleted by someone else), and
     * app_selected fell back to the root; look for the nearest ancestor that
     * survived instead. */
    if (a->selected && !store_get(a->store, a->selected)) {
        char *p = strdup(a->selected);
        while (p && strcmp(p, "/") != 0) {
            size_t len = path_parent_len(p);
            p[len] = '\0';
            if ((sel = store_get(a->store, p)))
                break;
        }
        free(p);
        if (!sel)
            sel = a->store->root;
    }
    if (!store_flatten(a->store, a->store->root, &a->rows))
        app_error(a, "out of memory listing the tree");
    a->rows_gen = a->store->shape_gen;
    /* A selected node inside a collapsed parent is not a row: go up. */
    while (sel->parent && (sel->row >= a->rows.n || a->rows.v[sel->row] != sel))
        sel = sel->parent;
    a->cursor = sel->row;
    select_node(a, sel);
}

void app_prefetch_visible(struct app *a)
{
    size_t end = a->tree_top + (size_t)(a->tree_height > 0 ? a->tree_height : 0);
    if (end > a->rows.n)
        end = a->rows.n;
    for (size_t i = a->tree_top; i < end; i++) {
        struct node *n = a->rows.v[i];
        if (n->flags & (NODE_HAS_STAT | NODE_STAT_PENDING | NODE_NOAUTH))
            continue;
        if (zk_exists(a->zk, n->path, 0))
            n->flags |= NODE_STAT_PENDING;
    }
}

static void move_cursor(struct app *a, long delta)
{
    long c = (long)a->cursor + delta;
    if (a->rows.n == 0)
        return;
    if (c < 0)
        c = 0;
    if (c >= (long)a->rows.n)
        c = (long)a->rows.n - 1;
    a->cursor = (size_t)c;
    select_node(a, a->rows.v[a->cursor]);
}

static void expand(struct app *a, struct node *n)
{
    n->flags |= NODE_EXPANDED;
    a->store->shape_gen++;
    if (!(n->flags & NODE_WATCH_KIDS) || !(n->flags & NODE_KIDS_LOADED)) {
        need_add(&a->needs, NEED_KIDS, n->path);
        send_needs(a);
    }
}

static void collapse(struct app *a, struct node *n)
{
    n->flags &= ~(uint32_t)NODE_EXPANDED;
    a->store->shape_gen++;
}

static void tree_act(struct app *a, enum action act)
{
    struct node *n = app_selected(a);
    long page = a->tree_height > 1 ? a->tree_height - 1 : 1;
    switch (act) {
    case ACT_UP: move_cursor(a, -1); break;
    case ACT_DOWN: move_cursor(a, 1); break;
    /* A page key scrolls the view by a page and the cursor with it, so the
     * cursor keeps its place on screen, as in less and vim. */
    case ACT_PAGE_UP:
        a->tree_top = a->tree_top > (size_t)page ? a->tree_top - (size_t)page : 0;
        move_cursor(a, -page);
        break;
    case ACT_PAGE_DOWN:
        a->tree_top += (size_t)page;
        move_cursor(a, page);
        break;
    case ACT_HOME: move_cursor(a, -(long)a->rows.n); break;
    case ACT_END: move_cursor(a, (long)a->rows.n); break;
    case ACT_EXPAND:
        if (!(n->flags & NODE_EXPANDED))
            expand(a, n);
        else if (n->nkids > 0)
            move_cursor(a, 1);
        break;
    case ACT_COLLAPSE:
        if ((n->flags & NODE_EXPANDED) && n->parent)
            collapse(a, n);
        else if (n->parent) {
            a->cursor = n->parent->row;
            select_node(a, n->parent);
        }
        break;
    case ACT_TOGGLE:
        if (n->flags & NODE_EXPANDED) {
            if (n->parent)
                collapse(a, n);
        } else
            expand(a, n);
        break;
    default:
        break;
    }
}

static void detail_act(struct app *a, enum action act)
{
    long page = a->detail_height > 1 ? a->detail_height - 1 : 1;
    long top = (long)a->detail_top;
    switch (act) {
    case ACT_UP: top--; break;
    case ACT_DOWN: top++; break;
    case ACT_PAGE_UP: top -= page; break;
    case ACT_PAGE_DOWN: top += page; break;
    case ACT_HOME: top = 0; break;
    case ACT_END: top = 1L << 30; break; /* clamped when drawn */
    case ACT_COLLAPSE: a->focus = FOCUS_TREE; break;
    default: break;
    }
    a->detail_top = top < 0 ? 0 : (size_t)top;
}

void app_act(struct app *a, enum action act)
{
    a->dirty = true;
    switch (act) {
    case ACT_NONE: return;
    case ACT_QUIT: a->quit = true; return;
    case ACT_FOCUS:
        a->focus = a->focus == FOCUS_TREE ? FOCUS_DETAIL : FOCUS_TREE;
        return;
    case ACT_VIEW:
        a->view = (enum view_mode)((a->view + 1) % VIEW__COUNT);
        a->detail_top = 0;
        return;
    default:
        break;
    }
    if (a->focus == FOCUS_DETAIL)
        detail_act(a, act);
    else
        tree_act(a, act);
    app_sync_rows(a);
}
