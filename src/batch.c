#include "batch.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "model/datafmt.h"
#include "model/queue.h"
#include "model/store.h"
#include "zk/session.h"

struct walk {
    struct zk *zk;
    struct queue *q;
    struct store *store;
    char **todo;            /* nodes whose children are still to be read */
    size_t ntodo, captodo;
    size_t next;            /* first entry of todo not sent yet */
    struct need_list unused; /* bulk reads leave no watch: nothing to re-arm */
    enum conn_state state;
    int rc;                 /* first error from the server, 0 if none */
    bool failed;            /* a request could not be sent, or out of memory */
    const char *top;
    size_t noauth;          /* nodes under top the server would not list */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void todo_add(struct walk *w, const char *path)
{
    char *p;
    if (w->ntodo == w->captodo) {
        size_t cap = w->captodo ? w->captodo * 2 : 1024;
        char **v = realloc(w->todo, cap * sizeof *v);
        if (!v) {
            w->failed = true;
            return;
        }
        w->todo = v;
        w->captodo = cap;
    }
    if (!(p = strdup(path))) {
        w->failed = true;
        return;
    }
    w->todo[w->ntodo++] = p;
}

static void on_reply(struct walk *w, struct msg *m)
{
    struct node *n;
    if (m->kind == MSG_SESSION) {
        w->state = m->state;
        return;
    }
    zk_reply_taken(w->zk);
    /* It may come before the session event that says so. */
    if (m->res == ZRES_AUTHFAILED)
        w->state = CONN_AUTH_FAILED;
    if (m->kind != MSG_CHILDREN)
        return;
    /* A node below the top that we may not read is shown as such; the walk
     * goes on around it. */
    if (m->res == ZRES_NOAUTH && strcmp(m->path, w->top) != 0)
        w->noauth++;
    else if (m->res != ZRES_OK && m->res != ZRES_NONODE && !w->rc)
        w->rc = m->rc;
    if (m->res == ZRES_NONODE && strcmp(m->path, w->top) == 0 && !w->rc)
        w->rc = m->rc;
    store_apply(w->store, m, &w->unused);
    n = store_get(w->store, m->path);
    if (!n || m->res != ZRES_OK)
        return;
    for (uint32_t i = 0; i < n->nkids; i++)
        todo_add(w, n->kids[i]->path);
}

/* Waits for messages until deadline (ms, monotonic) or -1 for ever. */
static bool pump(struct walk *w, long long deadline)
{
    struct pollfd p = { queue_fd(w->q), POLLIN, 0 };
    int timeout = -1;
    struct msg *m;
    if (deadline >= 0) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return false;
        timeout = (int)left;
    }
    if (poll(&p, 1, timeout) < 0 && errno != EINTR)
        return false;
    m = queue_take_all(w->q);
    while (m) {
        struct msg *next = m->next;
        on_reply(w, m);
        msg_free(m);
        m = next;
    }
    return true;
}

static void send_more(struct walk *w, int window)
{
    while (w->next < w->ntodo && zk_in_flight(w->zk) < window) {
        char *p = w->todo[w->next++];
        if (!zk_get_children(w->zk, p, false, TAG_BULK))
            w->failed = true;
        free(p);
    }
}

static void print_tree(const struct node *n, int depth, FILE *out)
{
    struct strbuf b = { 0 };
    const char *label = depth == 0 ? n->path : n->name;
    text_sanitize(label, strlen(label), &b);
    fprintf(out, "%*s%s%s\n", depth * 2, "", sb_str(&b),
            n->flags & NODE_NOAUTH ? "  (no access)" : "");
    sb_free(&b);
    for (uint32_t i = 0; i < n->nkids; i++)
        print_tree(n->kids[i], depth + 1, out);
}

static void print_json(const struct node *n, FILE *out)
{
    struct strbuf b = { 0 };
    const struct zstat *s = &n->stat;
    json_quote(n->path, strlen(n->path), &b);
    if (n->flags & NODE_NOAUTH) {
        /* Its Stat came with the list the server refused: none to print. */
        fprintf(out, "{\"path\":%s,\"noAccess\":true}\n", sb_str(&b));
        sb_free(&b);
        return;
    }
    fprintf(out,
            "{\"path\":%s,\"dataLength\":%" PRId32 ",\"numChildren\":%" PRId32
            ",\"czxid\":%" PRId64 ",\"mzxid\":%" PRId64 ",\"pzxid\":%" PRId64
            ",\"ctime\":%" PRId64 ",\"mtime\":%" PRId64 ",\"version\":%" PRId32
            ",\"cversion\":%" PRId32 ",\"aversion\":%" PRId32 ",\"ephemeralOwner\":\"0x%" PRIx64
            "\"}\n",
            sb_str(&b), s->data_length, s->num_children, s->czxid, s->mzxid, s->pzxid,
            s->ctime, s->mtime, s->version, s->cversion, s->aversion,
            (uint64_t)s->ephemeral_owner);
    sb_free(&b);
    for (uint32_t i = 0; i < n->nkids; i++)
        print_json(n->kids[i], out);
}

static bool auth_failed(struct walk *w, FILE *err, const char *hosts)
{
    char who[256];
    fprintf(err, "zktui: authentication failed: %s refused the credentials (%s)\n", hosts,
            zk_auth_shown(w->zk, who, sizeof who));
    return false;
}

static bool walk_connect(struct walk *w, int timeout_ms, FILE *err, const char *hosts)
{
    long long deadline = now_ms() + timeout_ms;
    while (w->state != CONN_CONNECTED && w->state != CONN_READONLY) {
        if (w->state == CONN_AUTH_FAILED)
            return auth_failed(w, err, hosts);
        if (w->state == CONN_EXPIRED || !pump(w, deadline)) {
            fprintf(err, "zktui: no connection to %s within %d ms (%s)\n", hosts, timeout_ms,
                    conn_state_name(w->state));
            return false;
        }
    }
    return true;
}

int batch_dump(const struct batch_opts *o, FILE *out, FILE *err)
{
    struct walk w = { 0 };
    char msg[256];
    struct node *top;
    int status = 1;
    w.top = o->path;
    w.state = CONN_CONNECTING;
    if (!(w.q = queue_new()) || !(w.store = store_new())) {
        fprintf(err, "zktui: out of memory\n");
        goto done;
    }
    if (!(w.zk = zk_new(w.q, o->hosts, o->session_timeout_ms, o->log, msg, sizeof msg))) {
        fprintf(err, "zktui: %s\n", msg);
        status = 2; /* as in the UI: the server list is a bad argument */
        goto done;
    }
    for (int i = 0; o->auth && i < o->auth->n; i++)
        if (!zk_add_auth(w.zk, o->auth->v[i])) {
            fprintf(err, "zktui: the ZooKeeper client refused the credentials\n");
            goto done;
        }
    if (!walk_connect(&w, o->session_timeout_ms, err, o->hosts))
        goto done;
    if (!store_ensure(w.store, o->path) && strcmp(o->path, "/") != 0) {
        fprintf(err, "zktui: out of memory\n");
        goto done;
    }
    todo_add(&w, o->path);
    while ((w.next < w.ntodo || zk_in_flight(w.zk) > 0) && !w.rc && !w.failed) {
        send_more(&w, o->window);
        if (w.state == CONN_AUTH_FAILED) {
            auth_failed(&w, err, o->hosts);
            goto done;
        }
        if (w.state != CONN_CONNECTED && w.state != CONN_READONLY) {
            fprintf(err, "zktui: connection lost during the walk (%s)\n", conn_state_name(w.state));
            goto done;
        }
        pump(&w, now_ms() + o->session_timeout_ms);
    }
    top = store_get(w.store, o->path);
    if (w.state == CONN_AUTH_FAILED) {
        auth_failed(&w, err, o->hosts);
        goto done;
    }
    if (w.rc || w.failed || !top) {
        const char *chroot = strchr(o->hosts, '/');
        fprintf(err, "zktui: %s: %s%s%s%s\n", o->path, w.rc ? zk_strerror(w.rc) : "read failed",
                chroot ? " (under the chroot " : "", chroot ? chroot : "", chroot ? ")" : "");
        goto done;
    }
    if (o->json)
        print_json(top, out);
    else
        print_tree(top, 0, out);
    if (fflush(out) != 0 || ferror(out))
        fprintf(err, "zktui: writing the output: %s\n", strerror(errno));
    else
        status = 0;
    if (w.noauth)
        fprintf(err, "zktui: %zu node%s not listed: no access (NOAUTH); their children are "
                     "missing\n", w.noauth, w.noauth == 1 ? "" : "s");
done:
    zk_free(w.zk);
    queue_free(w.q);
    store_free(w.store);
    need_free(&w.unused);
    while (w.next < w.ntodo)
        free(w.todo[w.next++]);
    free(w.todo);
    return status;
}
