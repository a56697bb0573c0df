#include "ui/app.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "model/path.h"
#include "ui/app_sessions.h"
#include "ui/trace.h"
#include "zk/needs.h"
#include "zk/refusal.h"

int64_t app_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void app_event(struct app *a, enum event_kind kind, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    events_add(&a->log, app_now_ms(), kind, text);
    a->dirty = true;
}

void app_error(struct app *a, const char *fmt, ...)
{
    char text[sizeof a->error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* The same error again (each failing read says it) is one event. */
    if (strcmp(text, a->error) != 0)
        events_add(&a->log, app_now_ms(), EV_ERROR, text);
    memcpy(a->error, text, sizeof text);
    a->dirty = true;
}

struct node *app_selected(struct app *a)
{
    struct node *n = a->selected ? store_get(a->store, a->selected) : NULL;
    return n ? n : a->store->root;
}

void app_send_needs(struct app *a)
{
    app_gate_needs(a);
    zk_send_needs(a->zk, a->store, &a->needs);
}

static void send_needs(struct app *a)
{
    app_send_needs(a);
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
    store_need_selected(n, &a->needs);
    send_needs(a);
}

bool app_init(struct app *a, struct queue *q, struct zk *zk, const struct app_opts *opts)
{
    memset(a, 0, sizeof *a);
    a->q = q;
    a->zk = zk;
    a->store = store_new();
    a->log_follow = true;
    if (!a->store ||
        !monitor_init(&a->mon, opts->lock_roots, opts->n_lock_roots, opts->service_roots,
                      opts->n_service_roots) ||
        !events_init(&a->log, opts->event_log_size ? opts->event_log_size : 10000))
        return false;
    if (opts->hold_warn_ms > 0)
        a->mon.hold_warn_ms = opts->hold_warn_ms;
    if (opts->max_children > 0)
        a->mon.max_kids = (size_t)opts->max_children;
    if (opts->data_cache > 0)
        a->store->data_cache = (size_t)opts->data_cache;
    a->watch_budget = opts->watch_budget > 0 ? (size_t)opts->watch_budget : 512 * 1024;
    a->read_only = opts->read_only;
    snprintf(a->cluster, sizeof a->cluster, "%s", opts->cluster ? opts->cluster : "");
    if (opts->read_only_cli)
        snprintf(a->read_only_why, sizeof a->read_only_why,
                 "read-only: nothing was changed (zktui runs with --read-only)");
    else if (a->cluster[0])
        snprintf(a->read_only_why, sizeof a->read_only_why,
                 "read-only: nothing was changed (cluster %.63s has read_only: true)", a->cluster);
    else
        snprintf(a->read_only_why, sizeof a->read_only_why,
                 "read-only: nothing was changed (read_only: true in the configuration)");
    a->clusters = opts->clusters;
    a->nclusters = opts->nclusters;
    zk_set_read_only(zk, opts->read_only);
    a->max_children = opts->max_children > 0 ? opts->max_children : 10000;
    a->walk_window = opts->walk_window > 0 ? opts->walk_window : 1000;
    /* Off, the sessions view still asks cons every 2 s while it is shown. */
    a->probe_interval_ms = opts->probe_interval_ms > 0 ? opts->probe_interval_ms : 2000;
    a->probes_off = opts->probe_interval_ms < 0;
    {
        char err[256];
        int timeout = a->probe_interval_ms < 1000 ? a->probe_interval_ms : 1000;
        /* Without it the rest works: say so in the log, go on. */
        const char *members = opts->ensemble && opts->ensemble[0] ? opts->ensemble : zk_hosts(zk);
        if (!ensemble_init(&a->ens, members, err, sizeof err) ||
            (!a->probes_off &&
             !(a->probe = probe_new(&a->ens, a->probe_interval_ms, timeout, err, sizeof err))))
            app_event(a, EV_ERROR, "ensemble probes off: %s", err);
        else if (a->probes_off)
            app_event(a, EV_ENSEMBLE, "ensemble probes off (probe_interval: off): no srvr is "
                                      "asked, members show as not asked");
    }
    a->state = CONN_CONNECTING;
    a->store->root->flags |= NODE_EXPANDED | NODE_SELECTED;
    a->selected = strdup("/");
    a->dirty = true;
    return a->selected != NULL;
}

void app_fini(struct app *a)
{
    while (a->backlog) {
        struct msg *next = a->backlog->next;
        msg_free(a->backlog);
        a->backlog = next;
    }
    a->backlog_tail = NULL;
    free(a->prompt.path);
    free(a->list_path);
    free(a->edit.path);
    free(a->edit.data);
    free(a->select_after);
    free(a->create.path);
    free(a->create.data);
    app_saving_free(a);
    app_history_free(a);
    app_walk_stop(a);
    app_del_job_free(a);
    app_sessions_free(a);
    app_jump_free(a);
    app_bulk_free(a);
    app_find_free(a);
    free(a->clip);
    probe_free(a->probe);
    ensemble_free(&a->ens);
    monitor_free(&a->mon);
    events_free(&a->log);
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
        if (was != CONN_CONNECTED && was != CONN_READONLY) {
            bool fresh = m->session_id != a->session_id;
            app_event(a, EV_SESSION, "%s %s, session 0x%" PRIx64 "%s%s",
                      was == CONN_RECONNECTING ? "reconnected to" : "connected to",
                      m->server ? m->server : "?", (uint64_t)m->session_id,
                      fresh && a->expiries ? " (new session)" : "",
                      m->state == CONN_READONLY ? " (read-only server)" : "");
        }
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
        monitor_unsettle(&a->mon, a->store);
        if (was != CONN_RECONNECTING)
            app_event(a, EV_SESSION, "disconnected from %s, reconnecting",
                      a->server[0] ? a->server : "the server");
        a->stale = true;
        break;
    case CONN_EXPIRED:
        /* What was asked of the dead session is never answered. */
        if (a->walk.active) {
            app_walk_stop(a);
            app_prompt_clear(a);
            app_error(a, "the session expired while counting: nothing deleted");
        }
        app_bulk_session_lost(a);
        if (a->del.sending) {
            app_error(a, "the session expired while deleting %s: %zu of %zu deleted, the last "
                         "transaction may or may not have happened", a->del.what, a->del.done,
                      a->del.n);
            app_del_job_free(a);
        }
        a->stale = true;
        a->expiries++;
        store_forget_watches(a->store);
        monitor_unsettle(&a->mon, a->store);
        if (!zk_renew(a->zk, err, sizeof err))
            app_error(a, "new session: %s", err);
        else
            a->state = CONN_CONNECTING;
        app_event(a, EV_SESSION, "session 0x%" PRIx64 " expired", (uint64_t)a->session_id);
        snprintf(a->error, sizeof a->error, "session 0x%" PRIx64 " expired, a new one opened",
                 (uint64_t)a->session_id);
        break;
    case CONN_AUTH_FAILED: {
        char who[256];
        a->stale = true;
        app_error(a, "authentication failed: the server refused the credentials (%s) and closed "
                     "the session; fix auth: in the config or ZKTUI_AUTH, and start again",
                  zk_auth_shown(a->zk, who, sizeof who));
        break;
    }
    case CONN_CONNECTING:
    case CONN_CLOSED:
        break;
    }
}

static void note_error(struct app *a, const struct msg *m)
{
    char buf[512];
    /* After an auth failure every reply would say it again. */
    if (m->kind == MSG_SESSION || m->kind == MSG_WATCH || a->state == CONN_AUTH_FAILED)
        return;
    /* The node shows "no access"; said only for what the operator looks at
     * (the watched reads), not for every node a scan finds. */
    if (m->res == ZRES_NOAUTH) {
        if (m->tag & TAG_WATCH)
            app_error(a, "%s", zk_refusal(a->zk, m, buf, sizeof buf));
        return;
    }
    if (m->res == ZRES_OTHER)
        app_error(a, "%s: %s", m->path ? m->path : "?", zk_strerror(m->rc));
    else if (m->res == ZRES_NONODE && m->path && strcmp(m->path, "/") == 0) {
        /* Only a chroot can be missing: the real root always exists. */
        const char *chroot = strchr(zk_hosts(a->zk), '/');
        app_error(a, "the chroot %s does not exist", chroot ? chroot : "/");
    }
}

static void apply_reply(struct app *a, const struct msg *m)
{
    struct node *n;
    if (m->kind == MSG_WRITE) {
        if (m->op == WRITE_DELETE_MANY)
            app_on_delete_many(a, m);
        else
            app_on_write(a, m);
        return;
    }
    if (m->tag & TAG_FRESH) {
        app_fresh_reply(a, m);
        return;
    }
    if (m->tag & TAG_WALK) {
        app_walk_reply(a, m);
        return;
    }
    if (m->kind == MSG_UNWATCH) {
        app_unwatch_reply(a, m);
        return;
    }
    if (m->kind == MSG_ACL && (m->tag & TAG_ACL_EDIT)) {
        app_acl_read(a, m);
        return;
    }
    note_error(a, m);
    store_apply(a->store, m, &a->needs);
    /* Each new child list: locks and registries found, joins and leaves. */
    if (m->kind == MSG_CHILDREN && m->res == ZRES_OK && (n = store_get(a->store, m->path))) {
        /* Watched now: live, no longer a bulk walk's snapshot. */
        if (m->tag & TAG_WATCH)
            n->flags &= ~(uint32_t)NODE_BULK;
        monitor_children(&a->mon, a->store, n, app_now_ms(), &a->log, &a->needs);
    }
}

/* Opens the ancestors of the node to select next, as far as the store
 * knows them; each answer brings the next level. */
static void open_ancestors(struct app *a)
{
    char *p = a->select_after ? strdup(a->select_after) : NULL;
    struct node *n = a->store->root, *up = NULL;
    for (size_t i = 1; p && n && p[i]; i++) {
        if (p[i] != '/')
            continue;
        if (!(n->flags & NODE_EXPANDED))
            app_expand(a, n);
        p[i] = '\0';
        up = n;
        n = store_get(a->store, p);
        p[i] = '/';
    }
    if (n && p && !(n->flags & NODE_EXPANDED))
        app_expand(a, n);
    /* Gone before it showed: its parent's list has no such child. */
    if (!n && up && (up->flags & NODE_KIDS_LOADED) && !(up->flags & NODE_KIDS_PENDING)) {
        free(a->select_after);
        a->select_after = NULL;
    }
    free(p);
}

/* Data shown without being asked for again, besides the selected node's. */
static bool keeps_data(void *ctx, const struct node *n)
{
    const struct app *a = ctx;
    return monitor_keeps_data(&a->mon, n);
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void app_drain(struct app *a)
{
    app_drain_some(a, 0);
}

bool app_drain_some(struct app *a, long long budget_us)
{
    long long until = budget_us > 0 ? now_us() + budget_us : 0;
    unsigned done = 0;
    struct msg *m = queue_take_all(a->q);
    /* New messages go after the ones still waiting. */
    if (m) {
        if (a->backlog)
            a->backlog_tail->next = m;
        else
            a->backlog = m;
        while (m->next)
            m = m->next;
        a->backlog_tail = m;
    }
    while (a->backlog) {
        struct msg *next;
        /* The clock is read every 16 messages: a bulk walk's lists come by
         * the thousand, and keys must not wait behind all of them. */
        if (until && ++done % 16 == 0 && now_us() >= until)
            break;
        m = a->backlog;
        next = m->next;
        a->backlog = next;
        if (!next)
            a->backlog_tail = NULL;
        trace_msg(m);
        /* Read the epoch each time: an expiry in this batch renews it, and
         * what the dead session sent after that is dropped. */
        if (m->epoch == zk_epoch(a->zk) && (m->tag & TAG_SCAN)) {
            /* A bulk walk's: not counted in the session's in-flight reads. */
            app_bulk_reply(a, m);
        } else if (m->epoch == zk_epoch(a->zk)) {
            if (m->kind != MSG_SESSION && m->kind != MSG_WATCH) {
                zk_reply_taken(a->zk);
                a->replies++;
            }
            if (m->kind == MSG_SESSION)
                on_session(a, m);
            else if (m->tag & TAG_COMPLETE)
                app_jump_reply(a, m);
            else
                apply_reply(a, m);
        }
        msg_free(m);
    }
    /* Reads the batch asked for go out first: a list being read again
     * (a watch fired) is then pending, not taken as the truth below. */
    send_needs(a);
    if (a->select_after)
        open_ancestors(a);
    app_jump_follow(a);
    app_bulk_follow(a);
    app_follow(a);
    store_trim(a->store, keeps_data, a);
    app_watch_shed(a);
    return a->backlog != NULL;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int app_probe_fds(struct app *a, struct pollfd *fds, int max, int *timeout)
{
    int t, n = 0;
    if (a->probe) {
        t = probe_timeout(a->probe, mono_ms());
        if (*timeout < 0 || t < *timeout)
            *timeout = t;
        n = probe_pollfds(a->probe, fds, max);
    }
    return n + app_sessions_fds(a, fds + n, max - n, timeout);
}

void app_probe_run(struct app *a, const struct pollfd *fds, int n)
{
    uint64_t before = a->log.total;
    app_sessions_run(a, fds, n);
    if (!a->probe)
        return;
    probe_run(a->probe, fds, n, mono_ms(), app_now_ms(), &a->log);
    if (a->log.total != before)
        a->dirty = true;
}

void app_follow(struct app *a)
{
    uint64_t mgen = a->mon.gen;
    if (a->state == CONN_CONNECTED || a->state == CONN_READONLY)
        monitor_roots(&a->mon, a->store, &a->needs);
    monitor_refresh(&a->mon, a->store, app_now_ms(), &a->log, &a->needs);
    send_needs(a);
    if (a->store->gen != a->drawn_gen || a->mon.gen != mgen)
        a->dirty = true;
}

/* A node the operator just created: selected once its row exists (its
 * parent opened for it when the answer came). */
static void select_created(struct app *a)
{
    struct node *n = a->select_after ? store_get(a->store, a->select_after) : NULL;
    if (!n || n->row >= a->rows.n || a->rows.v[n->row] != n)
        return;
    a->cursor = n->row;
    select_node(a, n);
    free(a->select_after);
    a->select_after = NULL;
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
    app_filter_rows(a);
    a->rows_gen = a->store->shape_gen;
    /* A selected node inside a collapsed parent is not a row: go up. */
    while (sel->parent && (sel->row >= a->rows.n || a->rows.v[sel->row] != sel))
        sel = sel->parent;
    a->cursor = sel->row;
    select_node(a, sel);
    select_created(a);
}

void app_prefetch_visible(struct app *a)
{
    size_t end = a->tree_top + (size_t)(a->tree_height > 0 ? a->tree_height : 0);
    if (end > a->rows.n)
        end = a->rows.n;
    for (size_t i = a->tree_top; i < end; i++) {
        struct node *n = a->rows.v[i];
        /* exists needs no permission: a node with no access has a Stat. */
        if (n->flags & (NODE_HAS_STAT | NODE_STAT_PENDING))
            continue;
        if (zk_exists(a->zk, n->path, 0))
            n->flags |= NODE_STAT_PENDING;
    }
    app_watch_visible(a);
    app_watch_budget(a);
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

void app_expand(struct app *a, struct node *n)
{
    if (!app_may_open(a, n, false))
        return;
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
            app_expand(a, n);
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
            app_expand(a, n);
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

/* The locks and registries have a cursor (d kicks the contender or
 * member under it); its pane keeps it on screen and in range. */
static bool has_cursor(enum app_screen s)
{
    return s == SCREEN_LOCKS || s == SCREEN_SERVICES || s == SCREEN_SESSIONS ||
           s == SCREEN_FIND;
}

/* Up and down in a full-screen panel: move its cursor, or scroll it. The
 * log follows the newest event until scrolled up, and again from End. */
static void list_act(struct app *a, enum action act)
{
    long page = a->list_height > 1 ? a->list_height - 1 : 1;
    size_t *pos = has_cursor(a->screen) ? &a->list_cursor[a->screen] : &a->list_top[a->screen];
    long top = (long)*pos;
    switch (act) {
    case ACT_UP: top--; break;
    case ACT_DOWN: top++; break;
    case ACT_PAGE_UP: top -= page; break;
    case ACT_PAGE_DOWN: top += page; break;
    case ACT_HOME: top = 0; break;
    case ACT_END: top = 1L << 30; break; /* clamped when drawn */
    default: return;
    }
    if (a->screen == SCREEN_EVENTS)
        a->log_follow = act == ACT_END;
    *pos = top < 0 ? 0 : (size_t)top;
}

/* A change asked on the tree's selection; elsewhere, say where it works. */
static void on_tree_node(struct app *a, void (*ask)(struct app *, struct node *),
                         const char *elsewhere)
{
    if (a->screen == SCREEN_TREE)
        ask(a, app_selected(a));
    else
        app_error(a, "%s", elsewhere);
}

static void save_events(struct app *a)
{
    char msg[512];
    if (app_save_events(a, msg, sizeof msg)) {
        snprintf(a->info, sizeof a->info, "%s", msg);
        a->error[0] = '\0';
    } else
        app_error(a, "%s", msg);
}

void app_act(struct app *a, enum action act)
{
    a->dirty = true;
    a->info[0] = '\0';
    app_jump_cancel(a); /* the operator moved on */
    switch (act) {
    case ACT_NONE: return;
    case ACT_QUIT: a->quit = true; return;
    case ACT_SCREEN_TREE:
        /* Esc stops a bulk walk first (what is loaded stays): on the
         * tree any, on the results the search. */
        if ((a->screen == SCREEN_TREE && app_bulk_stop(a)) ||
            (a->screen == SCREEN_FIND && app_find_stop(a, "Esc")))
            return;
        /* Esc on the tree clears a filter first. */
        if (a->screen == SCREEN_TREE && a->filter[0]) {
            app_filter_clear(a);
            snprintf(a->info, sizeof a->info, "filter cleared");
        }
        a->screen = SCREEN_TREE;
        return;
    case ACT_FILTER:
        app_ask_filter(a);
        return;
    case ACT_HELP:
        a->screen = SCREEN_HELP;
        return;
    case ACT_SCREEN_LOCKS: a->screen = SCREEN_LOCKS; return;
    case ACT_SCREEN_SERVICES: a->screen = SCREEN_SERVICES; return;
    case ACT_SCREEN_ENSEMBLE: a->screen = SCREEN_ENSEMBLE; return;
    case ACT_SCREEN_EVENTS: a->screen = SCREEN_EVENTS; return;
    case ACT_SCREEN_SESSIONS: a->screen = SCREEN_SESSIONS; return;
    case ACT_SAVE_EVENTS: save_events(a); return;
    case ACT_JUMP: app_ask_jump(a); return;
    case ACT_COPY_PATH: app_copy(a, false); return;
    case ACT_COPY_DATA: app_copy(a, true); return;
    case ACT_EXPAND_ALL:
        on_tree_node(a, app_expand_all, "* opens the node selected in the tree (1) whole");
        app_sync_rows(a); /* its row opened: the next key moves over its children */
        return;
    case ACT_FIND: app_ask_find(a); return;
    case ACT_FIND_NEXT: app_find_step(a, 1); return;
    case ACT_FIND_PREV: app_find_step(a, -1); return;
    case ACT_CREATE:
        on_tree_node(a, app_ask_create, "c creates under the node selected in the tree (1)");
        return;
    case ACT_EDIT:
        on_tree_node(a, app_ask_edit, "e edits the node selected in the tree (1)");
        return;
    case ACT_COMMAND:
        app_ask_command(a);
        return;
    case ACT_INLINE_EDIT:
        on_tree_node(a, app_ask_inline, "i edits the node selected in the tree (1)");
        return;
    case ACT_RDELETE:
        on_tree_node(a, app_ask_rdelete, "D deletes the node selected in the tree (1) with "
                                         "everything under it");
        return;
    case ACT_ACL:
        on_tree_node(a, app_ask_acl, "a edits the ACL of the node selected in the tree (1)");
        return;
    case ACT_DELETE:
        if (a->screen == SCREEN_SESSIONS)
            app_sessions_ask_delete(a);
        else if (a->screen == SCREEN_TREE)
            app_ask_delete(a, app_selected(a));
        else if (has_cursor(a->screen) && a->list_path && store_get(a->store, a->list_path))
            app_ask_delete(a, store_get(a->store, a->list_path));
        else if (has_cursor(a->screen))
            app_error(a, "move the cursor to a contender or member first");
        else
            app_error(a, "d deletes the node under the cursor in the tree, locks or registries");
        return;
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
    if (a->screen == SCREEN_FIND && (act == ACT_TOGGLE || act == ACT_EXPAND)) {
        app_find_open(a);
        return;
    }
    if (a->screen != SCREEN_TREE) {
        list_act(a, act);
        return;
    }
    if (a->focus == FOCUS_DETAIL)
        detail_act(a, act);
    else
        tree_act(a, act);
    app_sync_rows(a);
}

void app_mouse(struct app *a, int y, int x, enum mouse_kind kind)
{
    bool wheel = kind == MOUSE_WHEEL_UP || kind == MOUSE_WHEEL_DOWN;
    if (a->prompt.kind != PROMPT_NONE)
        return; /* a question is waiting for its answer */
    if (wheel) {
        if (a->screen == SCREEN_TREE)
            a->focus = x < a->tree_x1 ? FOCUS_TREE : FOCUS_DETAIL;
        for (int i = 0; i < 3; i++)
            app_act(a, kind == MOUSE_WHEEL_UP ? ACT_UP : ACT_DOWN);
        return;
    }
    if (a->screen != SCREEN_TREE)
        return;
    if (x >= a->tree_x1) {
        a->focus = FOCUS_DETAIL;
        a->dirty = true;
        return;
    }
    if (y >= a->tree_y0 && y < a->tree_y0 + a->tree_height &&
        a->tree_top + (size_t)(y - a->tree_y0) < a->rows.n) {
        a->focus = FOCUS_TREE;
        a->cursor = a->tree_top + (size_t)(y - a->tree_y0);
        select_node(a, a->rows.v[a->cursor]);
        a->dirty = true;
        if (kind == MOUSE_DOUBLE)
            app_act(a, ACT_TOGGLE);
    }
}

/* $XDG_STATE_HOME/zktui (absolute only, as the spec says) or
 * ~/.local/state/zktui, made if missing. */
bool app_state_dir(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/zktui", xdg);
    else if (home && home[0])
        n = snprintf(buf, len, "%s/.local/state/zktui", home);
    else
        return false;
    if (n < 0 || (size_t)n >= len)
        return false;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

static bool write_events(const struct event_log *l, FILE *f)
{
    struct strbuf b = { 0 };
    for (size_t i = 0; i < l->n; i++) {
        const struct event *e = events_get(l, i);
        time_t t = (time_t)(e->time_ms / 1000);
        struct tm tm;
        char when[32];
        localtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
        sb_reset(&b);
        text_sanitize(e->text, strlen(e->text), &b);
        fprintf(f, "%s.%03d %-8s %s\n", when, (int)(e->time_ms % 1000),
                event_kind_name(e->kind), sb_str(&b));
    }
    sb_free(&b);
    return !ferror(f);
}

/* Writes the log into f (opened on file), closes it, says how it went. */
static bool save_to(struct app *a, FILE *f, const char *file, char *msg, size_t len)
{
    bool ok = write_events(&a->log, f);
    ok = fclose(f) == 0 && ok;
    if (!ok)
        snprintf(msg, len, "writing %s failed: %s", file, strerror(errno));
    else
        snprintf(msg, len, "saved %zu events to %s", a->log.n, file);
    return ok;
}

bool app_save_events(struct app *a, char *msg, size_t len)
{
    char dir[1024], file[1200], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    FILE *f;
    if (!app_state_dir(dir, sizeof dir)) {
        snprintf(msg, len, "cannot make the state directory for the event log: %s",
                 strerror(errno ? errno : ENOENT));
        return false;
    }
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(file, sizeof file, "%s/events-%s.log", dir, stamp);
    /* "x": never overwrite; a second save in the same second gets -2... */
    for (int i = 2; !(f = fopen(file, "wx")) && errno == EEXIST && i < 100; i++)
        snprintf(file, sizeof file, "%s/events-%s-%d.log", dir, stamp, i);
    if (!f) {
        snprintf(msg, len, "cannot write %s: %s", file, strerror(errno));
        return false;
    }
    return save_to(a, f, file, msg, len);
}

bool app_save_events_to(struct app *a, const char *file, bool overwrite, char *msg, size_t len)
{
    FILE *f = fopen(file, overwrite ? "w" : "wx");
    if (!f) {
        if (errno == EEXIST)
            snprintf(msg, len, "%s exists: :w! %s overwrites it", file, file);
        else
            snprintf(msg, len, "cannot write %s: %s", file, strerror(errno));
        return false;
    }
    return save_to(a, f, file, msg, len);
}

void app_set_list_path(struct app *a, const char *path)
{
    if (a->list_path && path && strcmp(a->list_path, path) == 0)
        return;
    free(a->list_path);
    a->list_path = path ? strdup(path) : NULL;
}

bool app_select_row(struct app *a, struct node *n)
{
    app_sync_rows(a);
    if (n->row >= a->rows.n || a->rows.v[n->row] != n)
        return false;
    a->cursor = n->row;
    select_node(a, n);
    return true;
}
