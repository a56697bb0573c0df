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
#include "zk/walk.h"

struct dump {
    struct zk *zk;
    struct queue *q;
    struct store *store;
    struct zk_walk *walk;   /* the bulk walk reading the subtree */
    struct need_list unused; /* bulk reads leave no watch: nothing to re-arm */
    enum conn_state state;
    int rc;                 /* first error from the server, 0 if none */
    enum zres res;          /* and what it means */
    bool ended;             /* the walk's end message came */
    const char *top;
    size_t noauth;          /* nodes under top the server would not list */
};

/* How long the dump sleeps between batches of replies. */
#define BATCH_NS (2 * 1000 * 1000)

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_reply(struct dump *w, struct msg *m)
{
    if (m->kind == MSG_SESSION) {
        w->state = m->state;
        return;
    }
    /* It may come before the session event that says so. */
    if (m->res == ZRES_AUTHFAILED)
        w->state = CONN_AUTH_FAILED;
    if (!(m->tag & TAG_SCAN))
        return;
    if (m->kind == MSG_WALK_END) {
        w->ended = true;
        if (m->rc && !w->rc) {
            w->rc = m->rc;
            w->res = m->res;
        }
        return;
    }
    if (m->kind != MSG_CHILDREN)
        return;
    /* A node below the top that we may not read is shown as such; the walk
     * goes on around it. */
    if (m->res == ZRES_NOAUTH && strcmp(m->path, w->top) != 0)
        w->noauth++;
    else if ((m->res != ZRES_OK && m->res != ZRES_NONODE && !w->rc) ||
             (m->res == ZRES_NONODE && strcmp(m->path, w->top) == 0 && !w->rc)) {
        w->rc = m->rc;
        w->res = m->res;
    }
    store_apply(w->store, m, &w->unused);
}

/* Waits for messages until deadline (ms, monotonic) and applies them all. */
static bool pump(struct dump *w, long long deadline)
{
    struct pollfd p = { queue_fd(w->q), POLLIN, 0 };
    long long left = deadline - now_ms();
    struct msg *m;
    if (left <= 0)
        return false;
    if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
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

static void print_tree(const struct node *n, int depth, FILE *out)
{
    struct strbuf b = { 0 };
    struct kids_iter it;
    const char *label = depth == 0 ? n->path : n->name;
    text_sanitize(label, strlen(label), &b);
    fprintf(out, "%*s%s%s\n", depth * 2, "", sb_str(&b),
            n->flags & NODE_NOAUTH ? "  (no access)" : "");
    sb_free(&b);
    for (const struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        print_tree(k, depth + 1, out);
}

static void print_json(const struct node *n, FILE *out)
{
    struct strbuf b = { 0 };
    struct kids_iter it;
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
    for (const struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
        print_json(k, out);
}

static bool auth_failed(struct dump *w, FILE *err, const char *hosts)
{
    char who[256];
    fprintf(err, "zktui: authentication failed: %s refused the credentials (%s)\n", hosts,
            zk_auth_shown(w->zk, who, sizeof who));
    return false;
}

/* A server that refuses the credentials closes the connection, and the
 * client may say the connection was lost before it says why. When
 * credentials were given and the connection was lost, wait a little for
 * the reason: a second at most, in the batch commands only. */
#define AUTH_GRACE_MS 1000

static bool auth_refused(struct dump *w, const struct batch_opts *o)
{
    long long deadline = now_ms() + AUTH_GRACE_MS;
    if (!o->auth || o->auth->n == 0)
        return false;
    /* The client reconnects and sends the credentials again: a refusal
     * may come after a reconnection. */
    while (w->state != CONN_AUTH_FAILED && pump(w, deadline))
        ;
    return w->state == CONN_AUTH_FAILED;
}

static bool walk_connect(struct dump *w, int timeout_ms, FILE *err, const char *hosts)
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

/* --stats: how the walk went, on err. */
static void print_stats(struct zk_walk *walk, FILE *err)
{
    struct walk_stats st;
    long long ms;
    zk_walk_stats(walk, &st);
    ms = (st.ended_ms ? st.ended_ms : now_ms()) - st.started_ms;
    fprintf(err, "zktui: stats: nodes=%" PRIu64 " elapsed_ms=%lld nodes_per_s=%.0f "
                 "peak_in_flight=%ld\n",
            st.listed + st.noauth, ms, ms > 0 ? (double)(st.listed + st.noauth) * 1000.0 / (double)ms : 0.0,
            st.peak);
}

int batch_dump(const struct batch_opts *o, FILE *out, FILE *err)
{
    struct dump w = { 0 };
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
    /* The names stay in the messages: the store builds the tree from them. */
    if (!(w.walk = zk_walk_start(w.zk, o->path, o->window, 0, 1))) {
        w.state = CONN_CONNECTING; /* the client says it is not connected */
        if (auth_refused(&w, o)) {
            auth_failed(&w, err, o->hosts);
            goto done;
        }
        fprintf(err, "zktui: %s: cannot start reading (not connected)\n", o->path);
        goto done;
    }
    while (!w.ended && !w.rc) {
        if (w.state == CONN_AUTH_FAILED) {
            auth_failed(&w, err, o->hosts);
            goto done;
        }
        if (w.state != CONN_CONNECTED && w.state != CONN_READONLY) {
            if (auth_refused(&w, o)) {
                auth_failed(&w, err, o->hosts);
                goto done;
            }
            fprintf(err, "zktui: connection lost during the walk (%s)\n", conn_state_name(w.state));
            goto done;
        }
        pump(&w, now_ms() + o->session_timeout_ms);
        /* The walk refills itself on the client's thread: taking the
         * replies in batches costs it nothing, and spares a wake-up (a
         * pipe write, a poll, a read) per reply. */
        if (!w.ended)
            nanosleep(&(struct timespec){ 0, BATCH_NS }, NULL);
    }
    top = store_get(w.store, o->path);
    if (w.res == ZRES_CONNLOSS || w.res == ZRES_EXPIRED)
        auth_refused(&w, o);
    if (w.state == CONN_AUTH_FAILED) {
        auth_failed(&w, err, o->hosts);
        goto done;
    }
    if (w.rc || !top) {
        const char *chroot = strchr(o->hosts, '/');
        fprintf(err, "zktui: %s: %s%s%s%s\n", o->path, w.rc ? zk_strerror(w.rc) : "read failed",
                chroot ? " (under the chroot " : "", chroot ? chroot : "", chroot ? ")" : "");
        goto done;
    }
    if (o->stats)
        print_stats(w.walk, err);
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
    zk_walk_release(w.walk);
    zk_free(w.zk);
    queue_free(w.q);
    store_free(w.store);
    need_free(&w.unused);
    return status;
}
