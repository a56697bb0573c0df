/* Deleting many nodes: D (a node and everything under it) and a session's
 * ephemerals. The subtree is listed first without watches (every node's
 * version read), the operator types the node's name, then the nodes go
 * children first in transactions (all of one or none of it) that carry
 * the versions read: a node changed or given a child since is not deleted,
 * and the job stops there, saying how far it got. UI thread only. */
#include "ui/app.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"
#include "model/path.h"
#include "zk/refusal.h"

/* More than this under one node is refused: a walk that size takes
 * minutes and is not a repair by hand. */
#define WALK_MAX 100000
#define WALK_WINDOW 64 /* lists in flight */

void app_walk_stop(struct app *a)
{
    for (size_t i = 0; i < a->walk.n; i++)
        free(a->walk.v[i].path);
    free(a->walk.v);
    a->walk.v = NULL;
    a->walk.n = a->walk.cap = a->walk.sent = a->walk.answered = 0;
    a->walk.active = false;
    a->walk.gen++;
}

void app_del_job_free(struct app *a)
{
    for (size_t i = 0; i < a->del.n; i++)
        free(a->del.paths[i]);
    free(a->del.paths);
    free(a->del.versions);
    memset(&a->del, 0, sizeof a->del);
}

static bool walk_add(struct walk *w, char *path, int depth)
{
    if (!path)
        return false;
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        struct walk_node *v = realloc(w->v, cap * sizeof *v);
        if (!v) {
            free(path);
            return false;
        }
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n++] = (struct walk_node){ .path = path, .version = -1, .depth = depth };
    return true;
}

/* Ends the walk with a sentence; nothing was deleted. */
static void walk_fail(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void walk_fail(struct app *a, const char *fmt, ...)
{
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    app_walk_stop(a);
    app_prompt_clear(a);
    app_error(a, "%s; nothing deleted", text);
}

static void walk_send(struct app *a)
{
    struct walk *w = &a->walk;
    while (w->sent < w->n && w->sent - w->answered < WALK_WINDOW) {
        if (!zk_get_children(a->zk, w->v[w->sent].path, false,
                             TAG_WALK | (w->gen & 0xffffu) << 16)) {
            walk_fail(a, "cannot list %s: not connected", w->v[w->sent].path);
            return;
        }
        w->sent++;
    }
}

static void walk_show(struct app *a)
{
    snprintf(a->prompt.text, sizeof a->prompt.text,
             "counting the nodes under %s: %zu so far...   Esc: cancel", a->prompt.path,
             a->walk.n);
    a->dirty = true;
}

void app_ask_rdelete(struct app *a, struct node *n)
{
    if (!app_may_delete(a, n))
        return;
    if (a->del.sending) {
        app_error(a, "still deleting %s: wait for it to finish", a->del.what);
        return;
    }
    app_walk_stop(a);
    app_prompt_clear(a);
    if (!(a->prompt.path = strdup(n->path)) || !walk_add(&a->walk, strdup(n->path), 0)) {
        app_walk_stop(a);
        app_prompt_clear(a);
        app_error(a, "out of memory");
        return;
    }
    a->walk.active = true;
    a->prompt.kind = PROMPT_RDELETE_COUNT;
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "Delete %s and everything under it: first, what is there", n->path);
    walk_show(a);
    walk_send(a);
}

static int deeper_first(const void *x, const void *y)
{
    const struct walk_node *p = x, *q = y;
    if (p->depth != q->depth)
        return p->depth > q->depth ? -1 : 1;
    return strcmp(p->path, q->path);
}

/* Everything listed: ask for the name. */
static void walk_done(struct app *a)
{
    struct walk *w = &a->walk;
    size_t live = 0, eph = 0;
    int deepest = 0;
    struct strbuf p = { 0 };
    if (w->v[0].gone) {
        walk_fail(a, "%s is gone already", w->v[0].path);
        return;
    }
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].gone)
            continue;
        live++;
        eph += w->v[i].ephemeral;
        if (w->v[i].depth > deepest)
            deepest = w->v[i].depth;
    }
    /* Children before parents: the deepest first. */
    qsort(w->v, w->n, sizeof *w->v, deeper_first);
    text_sanitize(a->prompt.path, strlen(a->prompt.path), &p);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "Delete %s and everything under it: %zu node%s (%zu ephemeral), %d level%s deep. "
             "Type its name to confirm   Esc: cancel",
             sb_str(&p), live, live == 1 ? "" : "s", eph, deepest + 1, deepest ? "s" : "");
    sb_free(&p);
    app_prompt_input(a, PROMPT_RDELETE, "name: ", NULL);
}

void app_walk_reply(struct app *a, const struct msg *m)
{
    struct walk *w = &a->walk;
    struct walk_node *v;
    if (!w->active || (m->tag >> 16) != (w->gen & 0xffffu) || w->answered >= w->sent)
        return; /* a cancelled walk's */
    v = &w->v[w->answered++];
    if (!m->path || strcmp(m->path, v->path) != 0) {
        walk_fail(a, "listing %s went wrong (answers out of order)", v->path);
        return;
    }
    if (m->res == ZRES_NONODE) {
        v->gone = true;
    } else if (m->res != ZRES_OK) {
        walk_fail(a, "cannot list %s: %s", v->path, zk_strerror(m->rc));
        return;
    } else {
        int depth = v->depth;
        char *parent = v->path; /* v may move when the array grows */
        v->version = m->stat.version;
        v->ephemeral = m->stat.ephemeral_owner != 0;
        if (w->n + (size_t)m->n_names > WALK_MAX) {
            walk_fail(a, "%s holds more than %d nodes: zktui deletes at most that many at once",
                      a->prompt.path, WALK_MAX);
            return;
        }
        for (int32_t i = 0; i < m->n_names; i++)
            if (!walk_add(w, path_join(parent, m->names[i]), depth + 1)) {
                walk_fail(a, "listing %s: out of memory", parent);
                return;
            }
    }
    if (w->answered == w->n) {
        walk_done(a);
        return;
    }
    walk_show(a);
    walk_send(a);
}

/* Sends the next transaction: as many nodes as fit. */
static bool send_chunk(struct app *a)
{
    struct del_job *d = &a->del;
    size_t end = d->done, bytes = 0;
    while (end < d->n && end - d->done < ZK_MULTI_MAX &&
           bytes + strlen(d->paths[end]) <= ZK_MULTI_BYTES)
        bytes += strlen(d->paths[end++]);
    if (end == d->done || !zk_delete_many(a->zk, d->paths + d->done, d->versions + d->done,
                                          end - d->done, 0)) {
        app_error(a, "stopped: %s; %zu of %zu deleted (%s)",
                  zk_read_only(a->zk) ? a->read_only_why
                  : end == d->done    ? "a path is too long to send"
                                      : "not connected",
                  d->done, d->n, d->what);
        app_del_job_free(a);
        return false;
    }
    d->sending = end;
    snprintf(a->info, sizeof a->info, "deleting %s: %zu of %zu...", d->what, d->done, d->n);
    a->dirty = true;
    return true;
}

bool app_delete_nodes(struct app *a, char *const *paths, const int32_t *versions, size_t n,
                      const char *what)
{
    struct del_job *d = &a->del;
    if (a->read_only) {
        app_error(a, "%s", a->read_only_why);
        return false;
    }
    if (d->sending) {
        app_error(a, "still deleting %s: wait for it to finish", d->what);
        return false;
    }
    app_del_job_free(a);
    if (n == 0)
        return false;
    d->paths = calloc(n, sizeof *d->paths);
    d->versions = calloc(n, sizeof *d->versions);
    if (!d->paths || !d->versions) {
        app_del_job_free(a);
        app_error(a, "out of memory");
        return false;
    }
    for (d->n = 0; d->n < n; d->n++) {
        if (!(d->paths[d->n] = strdup(paths[d->n]))) {
            app_del_job_free(a);
            app_error(a, "out of memory");
            return false;
        }
        d->versions[d->n] = versions[d->n];
    }
    snprintf(d->what, sizeof d->what, "%s", what);
    return send_chunk(a);
}

/* Why a transaction stopped, in words an operator can act on. */
static const char *stop_reason(const struct app *a, const struct msg *m, char *buf, size_t len)
{
    const char *refused = zk_refusal(a->zk, m, buf, len);
    if (refused)
        return refused;
    switch (m->res) {
    case ZRES_BADVERSION:
        return "it changed since it was read";
    case ZRES_NOTEMPTY:
        return "a child was added since the count";
    case ZRES_NONODE:
        return "someone else deleted it meanwhile";
    case ZRES_CONNLOSS:
        return "the connection was lost (the last transaction may or may not have happened)";
    default:
        snprintf(buf, len, "%s", zk_strerror(m->rc));
        return buf;
    }
}

void app_on_delete_many(struct app *a, const struct msg *m)
{
    struct del_job *d = &a->del;
    struct strbuf p = { 0 };
    char buf[128];
    zk_audit(a->zk, m);
    if (!d->sending)
        return;
    if (m->res == ZRES_OK) {
        d->done = d->sending;
        d->sending = 0;
        if (d->done < d->n) {
            send_chunk(a);
            return;
        }
        snprintf(a->info, sizeof a->info, "deleted %s (%zu node%s)", d->what, d->n,
                 d->n == 1 ? "" : "s");
        a->error[0] = '\0';
        app_event(a, EV_CHANGE, "deleted %s (%zu node%s)", d->what, d->n, d->n == 1 ? "" : "s");
        app_del_job_free(a);
        a->dirty = true;
        return;
    }
    text_sanitize(m->path ? m->path : "?", m->path ? strlen(m->path) : 1, &p);
    app_error(a, "stopped at %s: %s; %zu of %zu deleted (%s)", sb_str(&p),
              stop_reason(a, m, buf, sizeof buf), d->done, d->n, d->what);
    sb_free(&p);
    /* Show that node as it is now. */
    if (m->res != ZRES_NONODE && m->path && store_get(a->store, m->path))
        need_add(&a->needs, NEED_INFO, m->path);
    app_del_job_free(a);
}

/* Enter on the name typed under D. */
void app_rdelete_confirm(struct app *a)
{
    struct walk *w = &a->walk;
    char what[320];
    char **paths;
    int32_t *versions;
    size_t n = 0;
    struct strbuf p = { 0 };
    if (strcmp(a->prompt.input, path_basename(a->prompt.path)) != 0) {
        snprintf(a->prompt.detail, sizeof a->prompt.detail,
                 "That is not its name: type %s exactly, or Esc to cancel",
                 path_basename(a->prompt.path));
        a->dirty = true;
        return;
    }
    paths = calloc(w->n, sizeof *paths);
    versions = calloc(w->n, sizeof *versions);
    for (size_t i = 0; paths && versions && i < w->n; i++)
        if (!w->v[i].gone) {
            paths[n] = w->v[i].path;
            versions[n++] = w->v[i].version;
        }
    text_sanitize(a->prompt.path, strlen(a->prompt.path), &p);
    snprintf(what, sizeof what, "%s and everything under it", sb_str(&p));
    sb_free(&p);
    if (!paths || !versions)
        app_error(a, "out of memory");
    else
        app_delete_nodes(a, paths, versions, n, what);
    free(paths);
    free(versions);
    app_walk_stop(a);
    app_prompt_clear(a);
}
