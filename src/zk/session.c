#include "zk/session.h"

#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zookeeper/zookeeper.h>

#include "model/acl.h"
#include "zk/session_int.h"

/* Any thread: the completion thread answers, the UI thread refuses. */
void zk_req_free(struct req *r)
{
    struct zk *z = r->z;
    pthread_mutex_lock(&z->live_mu);
    if (r->prev)
        r->prev->next = r->next;
    else
        z->live = r->next;
    if (r->next)
        r->next->prev = r->prev;
    pthread_mutex_unlock(&z->live_mu);
    free(r);
}

/* After zookeeper_close, no completion runs: what the client never
 * answered (it can drop a request queued as the handle closes) is freed
 * here. */
static void req_free_all(struct zk *z)
{
    while (z->live) {
        struct zk_walk *w = z->live->walk;
        zk_req_free(z->live);
        if (w)
            zk_walk_req_dropped(w);
    }
}

enum zres zk_res_of(int rc)
{
    if (rc == ZOK)
        return ZRES_OK;
    if (rc == ZNONODE)
        return ZRES_NONODE;
    if (rc == ZNOAUTH)
        return ZRES_NOAUTH;
    if (rc == ZSESSIONEXPIRED)
        return ZRES_EXPIRED;
    if (rc == ZBADVERSION)
        return ZRES_BADVERSION;
    if (rc == ZNOTEMPTY)
        return ZRES_NOTEMPTY;
    if (rc == ZNODEEXISTS)
        return ZRES_EXISTS;
    if (rc == ZUNIMPLEMENTED)
        return ZRES_UNIMPLEMENTED;
    if (rc == ZAUTHFAILED)
        return ZRES_AUTHFAILED;
    if (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT || rc == ZCLOSING ||
        rc == ZINVALIDSTATE)
        return ZRES_CONNLOSS;
    return ZRES_OTHER;
}

static void copy_stat(struct msg *m, const struct Stat *st)
{
    if (!st)
        return;
    m->has_stat = true;
    m->stat.czxid = st->czxid;
    m->stat.mzxid = st->mzxid;
    m->stat.pzxid = st->pzxid;
    m->stat.ctime = st->ctime;
    m->stat.mtime = st->mtime;
    m->stat.ephemeral_owner = st->ephemeralOwner;
    m->stat.version = st->version;
    m->stat.cversion = st->cversion;
    m->stat.aversion = st->aversion;
    m->stat.data_length = st->dataLength;
    m->stat.num_children = st->numChildren;
}

/* NULL when out of memory: the reply is then lost, and the in-flight count
 * with it (rare enough to accept). */
struct msg *zk_reply_new(const struct req *r, int rc)
{
    struct msg *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->kind = r->kind;
    m->epoch = r->epoch;
    m->tag = r->tag;
    m->rc = rc;
    m->res = zk_res_of(rc);
    m->path = strdup(r->path);
    m->op = r->op;
    m->version = r->version;
    return m;
}

/* Hands the reply (if one was made) to the UI thread and frees r. */
static void reply_send(struct req *r, struct msg *m)
{
    if (m)
        queue_push(r->z->q, m);
    zk_req_free(r);
}

static void create_cb(int rc, const char *value, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    if (m && rc == ZOK && value)
        m->created = strdup(value);
    reply_send(r, m);
}

static void write_cb(int rc, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    reply_send(r, m);
}

void zk_reply_children(struct msg *m, int rc, const struct String_vector *sv,
                       const struct Stat *st, bool names)
{
    if (!m || rc != ZOK)
        return;
    if (names && sv && sv->count > 0) {
        m->names = calloc((size_t)sv->count, sizeof *m->names);
        if (m->names) {
            for (int32_t i = 0; i < sv->count; i++)
                if ((m->names[m->n_names] = strdup(sv->data[i])))
                    m->n_names++;
        }
        if (m->n_names != sv->count)
            m->res = ZRES_OTHER, m->rc = ZSYSTEMERROR;
    }
    copy_stat(m, st);
}

void zk_reply_data(struct msg *m, int rc, const char *value, int len, const struct Stat *st)
{
    if (!m || rc != ZOK)
        return;
    copy_stat(m, st);
    if (value && len >= 0) {
        m->data = malloc((size_t)len + 1);
        if (m->data) {
            memcpy(m->data, value, (size_t)len);
            m->data[len] = '\0';
            m->data_len = len;
        } else {
            m->res = ZRES_OTHER, m->rc = ZSYSTEMERROR;
        }
    }
}

static void children_cb(int rc, const struct String_vector *sv, const struct Stat *st,
                        const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    zk_reply_children(m, rc, sv, st, true);
    reply_send(r, m);
}

static void data_cb(int rc, const char *value, int len, const struct Stat *st, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    zk_reply_data(m, rc, value, len, st);
    reply_send(r, m);
}

static void stat_cb(int rc, const struct Stat *st, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    if (m && rc == ZOK)
        copy_stat(m, st);
    reply_send(r, m);
}

static void acl_cb(int rc, struct ACL_vector *acl, struct Stat *st, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    if (m && rc == ZOK && acl && acl->count > 0) {
        m->acl = calloc((size_t)acl->count, sizeof *m->acl);
        for (int32_t i = 0; m->acl && i < acl->count; i++) {
            m->acl[i].perms = acl->data[i].perms;
            m->acl[i].scheme = strdup(acl->data[i].id.scheme ? acl->data[i].id.scheme : "");
            m->acl[i].id = strdup(acl->data[i].id.id ? acl->data[i].id.id : "");
            m->n_acl++;
        }
    }
    if (m && rc == ZOK)
        copy_stat(m, st);
    reply_send(r, m);
}

static enum watch_event wev_of(int type)
{
    if (type == ZOO_CREATED_EVENT)
        return WEV_CREATED;
    if (type == ZOO_DELETED_EVENT)
        return WEV_DELETED;
    if (type == ZOO_CHANGED_EVENT)
        return WEV_CHANGED;
    if (type == ZOO_CHILD_EVENT)
        return WEV_CHILD;
    return WEV_NOT_WATCHING;
}

static void node_watch_cb(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    /* Runs on the ZooKeeper completion thread. */
    struct zk *z = ctx;
    struct msg *m;
    (void)zh, (void)state;
    if (type == ZOO_SESSION_EVENT || !path)
        return; /* the session watcher reports those once */
    m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->kind = MSG_WATCH;
    m->epoch = atomic_load(&z->epoch);
    m->event = wev_of(type);
    m->path = strdup(path);
    queue_push(z->q, m);
}

static enum conn_state conn_of(struct zk *z, int state)
{
    if (state == ZOO_CONNECTED_STATE) {
        atomic_store(&z->was_connected, true);
        return CONN_CONNECTED;
    }
    if (state == ZOO_READONLY_STATE) {
        atomic_store(&z->was_connected, true);
        return CONN_READONLY;
    }
    if (state == ZOO_EXPIRED_SESSION_STATE)
        return CONN_EXPIRED;
    if (state == ZOO_AUTH_FAILED_STATE)
        return CONN_AUTH_FAILED;
    if (state == 0 || state == ZOO_NOTCONNECTED_STATE)
        return CONN_CLOSED;
    return atomic_load(&z->was_connected) ? CONN_RECONNECTING : CONN_CONNECTING;
}

static void session_watch_cb(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    /* Runs on the ZooKeeper completion thread. */
    struct zk *z = ctx;
    struct msg *m;
    (void)path;
    if (type != ZOO_SESSION_EVENT) {
        node_watch_cb(zh, type, state, path, ctx);
        return;
    }
    m = calloc(1, sizeof *m);
    if (!m)
        return;
    m->kind = MSG_SESSION;
    m->epoch = atomic_load(&z->epoch);
    m->state = conn_of(z, state);
    if (m->state == CONN_CONNECTED || m->state == CONN_READONLY) {
        const clientid_t *id = zoo_client_id(zh);
        const char *srv = zoo_get_current_server(zh);
        m->session_id = id ? id->client_id : 0;
        m->server = srv ? strdup(srv) : NULL;
    }
    queue_push(z->q, m);
}

/* Hands one credential to the client, which sends it on connecting (and
 * again on each reconnection of the session). */
static bool send_auth(struct zk *z, const char *cred)
{
    const char *colon = strchr(cred, ':');
    char scheme[64];
    if (!colon || (size_t)(colon - cred) >= sizeof scheme)
        return false;
    memcpy(scheme, cred, (size_t)(colon - cred));
    scheme[colon - cred] = '\0';
    return zoo_add_auth(z->zh, scheme, colon + 1, (int)strlen(colon + 1), NULL, NULL) == ZOK;
}

/* zookeeper_init_ssl's shape: only in clients built with OpenSSL. */
typedef zhandle_t *init_ssl_fn(const char *host, const char *cert, watcher_fn fn,
                               int recv_timeout, const clientid_t *clientid, void *context,
                               int flags);
static init_ssl_fn *init_ssl;
static char tls_files[3 * 1024 + 4]; /* "ca,cert,key" as the client wants it */

bool zk_use_tls(const char *ca, const char *cert, const char *key, char *err, size_t errlen)
{
    void *sym = dlsym(RTLD_DEFAULT, "zookeeper_init_ssl");
    if (!ca[0] || !cert[0] || !key[0]) {
        snprintf(err, errlen, "TLS needs all three of tls_ca, tls_cert and tls_key");
        return false;
    }
    if (strchr(ca, ',') || strchr(cert, ',') || strchr(key, ',')) {
        snprintf(err, errlen, "TLS: the C client cannot take a file name holding a comma");
        return false;
    }
    if (!sym) {
        snprintf(err, errlen, "TLS: this ZooKeeper C client was built without OpenSSL (it has "
                              "no zookeeper_init_ssl, as Debian's libzookeeper-mt); use a "
                              "client built with it, or a TLS tunnel to a plain port");
        return false;
    }
    memcpy(&init_ssl, &sym, sizeof init_ssl);
    snprintf(tls_files, sizeof tls_files, "%s,%s,%s", ca, cert, key);
    return true;
}

static bool open_handle(struct zk *z, char *err, size_t errlen)
{
    atomic_store(&z->was_connected, false);
    zoo_set_log_stream(z->log);
    if (init_ssl)
        z->zh = init_ssl(z->hosts, tls_files, session_watch_cb, z->timeout_ms, NULL, z, 0);
    else
        z->zh = zookeeper_init(z->hosts, session_watch_cb, z->timeout_ms, NULL, z, 0);
    if (!z->zh) {
        /* The list was checked before; what is left is a name that does
         * not resolve (the client reports it with a meaningless errno). */
        snprintf(err, errlen, "cannot resolve the servers in '%s'", z->hosts);
        return false;
    }
    /* Re-resolving names on every I/O pass costs 20-30% of read throughput. */
    zoo_set_servers_resolution_delay(z->zh, -1);
    /* Before any request can leave: the client sends them first on connecting. */
    for (size_t i = 0; i < z->ncreds; i++)
        send_auth(z, z->creds[i]);
    return true;
}

struct zk *zk_new(struct queue *q, const char *hosts, int session_timeout_ms, FILE *log,
                  char *err, size_t errlen)
{
    struct zk *z = calloc(1, sizeof *z);
    if (!z || !(z->hosts = strdup(hosts))) {
        free(z);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&z->live_mu, NULL);
    pthread_mutex_init(&z->walks_mu, NULL);
    z->q = q;
    z->timeout_ms = session_timeout_ms;
    z->log = log;
    /* WARN: at INFO a server that is down fills the log with "Delaying
     * connection" lines (about 100 KB in 10 s). */
    zoo_set_debug_level(ZOO_LOG_LEVEL_WARN);
    if (!open_handle(z, err, errlen)) {
        pthread_mutex_destroy(&z->live_mu);
        pthread_mutex_destroy(&z->walks_mu);
        free(z->hosts);
        free(z);
        return NULL;
    }
    return z;
}

void zk_free(struct zk *z)
{
    if (!z)
        return;
    zk_walks_close(z);
    if (z->zh)
        zookeeper_close(z->zh);
    req_free_all(z);
    zk_walks_detach(z);
    pthread_mutex_destroy(&z->live_mu);
    pthread_mutex_destroy(&z->walks_mu);
    for (size_t i = 0; i < z->ncreds; i++) {
        explicit_bzero(z->creds[i], strlen(z->creds[i]));
        free(z->creds[i]);
    }
    free(z->creds);
    for (size_t i = 0; i < z->nids; i++)
        free(z->ids[i]);
    free(z->ids);
    free(z->hosts);
    free(z);
}

bool zk_renew(struct zk *z, char *err, size_t errlen)
{
    zk_walks_close(z);
    if (z->zh)
        zookeeper_close(z->zh);
    z->zh = NULL;
    req_free_all(z);
    atomic_fetch_add(&z->epoch, 1);
    z->in_flight = 0;
    return open_handle(z, err, errlen);
}

uint32_t zk_epoch(const struct zk *z)
{
    return atomic_load(&z->epoch);
}

struct req *zk_req_new(struct zk *z, enum msg_kind kind, const char *path, uint32_t tag)
{
    size_t len = strlen(path);
    struct req *r = malloc(sizeof *r + len + 1);
    if (!r)
        return NULL;
    r->z = z;
    r->walk = NULL;
    r->epoch = atomic_load(&z->epoch);
    r->tag = tag;
    r->kind = kind;
    memcpy(r->path, path, len + 1);
    pthread_mutex_lock(&z->live_mu);
    r->prev = NULL;
    r->next = z->live;
    if (z->live)
        z->live->prev = r;
    z->live = r;
    pthread_mutex_unlock(&z->live_mu);
    return r;
}

/* Counts a sent request, or frees r when the client refused it. */
static bool sent(struct zk *z, struct req *r, int rc)
{
    if (rc != ZOK) {
        zk_req_free(r);
        return false;
    }
    z->in_flight++;
    return true;
}

bool zk_get_children(struct zk *z, const char *path, bool watch, uint32_t tag)
{
    struct req *r = zk_req_new(z, MSG_CHILDREN, path, tag | (watch ? TAG_WATCH : 0));
    if (!r || !z->zh)
        return zk_req_free(r), false;
    return sent(z, r, zoo_awget_children2(z->zh, path, watch ? node_watch_cb : NULL,
                                          watch ? z : NULL, children_cb, r));
}

bool zk_get_data(struct zk *z, const char *path, bool watch, uint32_t tag)
{
    struct req *r = zk_req_new(z, MSG_DATA, path, tag | (watch ? TAG_WATCH : 0));
    if (!r || !z->zh)
        return zk_req_free(r), false;
    return sent(z, r, zoo_awget(z->zh, path, watch ? node_watch_cb : NULL, watch ? z : NULL,
                                data_cb, r));
}

bool zk_exists(struct zk *z, const char *path, uint32_t tag)
{
    struct req *r = zk_req_new(z, MSG_STAT, path, tag);
    if (!r || !z->zh)
        return zk_req_free(r), false;
    return sent(z, r, zoo_aexists(z->zh, path, 0, stat_cb, r));
}

bool zk_get_acl(struct zk *z, const char *path, uint32_t tag)
{
    struct req *r = zk_req_new(z, MSG_ACL, path, tag);
    if (!r || !z->zh)
        return zk_req_free(r), false;
    return sent(z, r, zoo_aget_acl(z->zh, path, acl_cb, r));
}

static void unwatch_cb(int rc, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct req *r = (struct req *)data;
    struct msg *m = zk_reply_new(r, rc);
    if (m)
        m->event = (r->tag & TAG_UNWATCH_DATA) ? WEV_CHANGED : WEV_CHILD;
    /* The server no longer had it (it fired): gone, as asked. */
    if (m && rc == ZNOWATCHER)
        m->res = ZRES_OK;
    reply_send(r, m);
}

static bool unwatch_one(struct zk *z, const char *path, ZooWatcherType type, uint32_t tag)
{
    struct req *r = zk_req_new(z, MSG_UNWATCH, path, tag);
    /* zookeeper.h declares the completion a void_completion_t *, but the
     * client stores and calls the pointer it is given as the function
     * itself (as for every other void completion). */
    union {
        void_completion_t fn;
        void_completion_t *declared;
    } cb = { .fn = unwatch_cb };
    int rc;
    if (!r || !z->zh)
        return zk_req_free(r), false;
    /* Only the watcher zktui left (node_watch_cb, z), asked of the server:
     * the client drops it from its table once the server confirms. */
    rc = zoo_aremove_watches(z->zh, path, type, node_watch_cb, z, 0, cb.declared, r);
    if (rc == ZNOWATCHER) {
        /* Not in the client's table: it fired (its event is on its way). */
        zk_req_free(r);
        return true;
    }
    return sent(z, r, rc);
}

bool zk_unwatch(struct zk *z, const char *path, bool kids, bool data)
{
    bool ok = false;
    if (kids)
        ok |= unwatch_one(z, path, ZWATCHTYPE_CHILD, TAG_UNWATCH_KIDS);
    if (data)
        ok |= unwatch_one(z, path, ZWATCHTYPE_DATA, TAG_UNWATCH_DATA);
    return ok;
}

int zk_in_flight(const struct zk *z)
{
    return z->in_flight;
}

void zk_reply_taken(struct zk *z)
{
    if (z->in_flight > 0)
        z->in_flight--;
}

const char *zk_server(struct zk *z, char *buf, size_t len)
{
    const char *s = z->zh ? zoo_get_current_server(z->zh) : NULL;
    snprintf(buf, len, "%s", s ? s : "");
    return buf;
}

int64_t zk_session_id(struct zk *z)
{
    const clientid_t *id = z->zh ? zoo_client_id(z->zh) : NULL;
    return id ? id->client_id : 0;
}

const char *zk_hosts(const struct zk *z)
{
    return z->hosts;
}

void zk_set_read_only(struct zk *z, bool on)
{
    z->read_only = on;
}

bool zk_read_only(const struct zk *z)
{
    return z->read_only;
}

unsigned long zk_writes_sent(const struct zk *z)
{
    return z->writes;
}

bool zk_delete(struct zk *z, const char *path, int32_t version, uint32_t tag)
{
    struct req *r;
    /* The one gate every change passes: in read-only mode nothing leaves. */
    if (z->read_only || !z->zh)
        return false;
    if (!(r = zk_req_new(z, MSG_WRITE, path, tag)))
        return false;
    r->op = WRITE_DELETE;
    r->version = version;
    if (!sent(z, r, zoo_adelete(z->zh, path, version, write_cb, r)))
        return false;
    z->writes++;
    return true;
}

/* One audit line: the path may hold any byte the server accepts. */
static void audit_line(struct zk *z, const char *when, const char *op, const char *path,
                       int32_t version, const char *result)
{
    fprintf(z->log, "%s AUDIT cluster=%s action=%s path=", when, z->hosts, op);
    for (const char *p = path ? path : "?"; *p; p++)
        fprintf(z->log, (unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\' ? "\\x%02x" : "%c",
                (unsigned char)*p);
    fprintf(z->log, " version=%d result=%s\n", (int)version, result);
}

void zk_audit(struct zk *z, const struct msg *m)
{
    static const char *const ops[] = { "delete", "set", "create", "delete", "setacl" };
    char when[32], why[160];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    if (m->op != WRITE_DELETE_MANY) {
        audit_line(z, when, ops[(size_t)m->op < sizeof ops / sizeof *ops ? m->op : 0], m->path,
                   m->version, m->rc == ZOK ? "ok" : zk_strerror(m->rc));
    } else {
        /* One line per node of the transaction: all went, or none did. */
        for (int32_t i = 0; i < m->n_names; i++) {
            if (m->rc == ZOK)
                snprintf(why, sizeof why, "ok");
            else if (i == m->failed)
                snprintf(why, sizeof why, "%s", zk_strerror(m->rc));
            else
                snprintf(why, sizeof why, "not deleted (its transaction failed)");
            audit_line(z, when, "delete", m->names[i], m->versions ? m->versions[i] : -1, why);
        }
    }
    fflush(z->log);
}

/* A transaction of deletes in flight: the ops and their results must live
 * until the answer. */
struct multi {
    struct zk *z;
    uint32_t epoch;
    uint32_t tag;
    int32_t n;
    char **paths;
    int32_t *versions;
    zoo_op_t *ops;
    zoo_op_result_t *results;
};

static void multi_free(struct multi *t, bool names_too)
{
    if (names_too && t->paths)
        for (int32_t i = 0; i < t->n; i++)
            free(t->paths[i]);
    if (names_too) {
        free(t->paths);
        free(t->versions);
    }
    free(t->ops);
    free(t->results);
    free(t);
}

static void multi_cb(int rc, const void *data)
{
    /* Runs on the ZooKeeper completion thread. */
    struct multi *t = (struct multi *)data;
    struct msg *m = calloc(1, sizeof *m);
    int32_t failed = -1;
    if (!m) {
        multi_free(t, true);
        return;
    }
    /* The op that failed has its own code; the ones after it say only
     * that the transaction did not happen. */
    for (int32_t i = 0; rc != ZOK && i < t->n && failed < 0; i++)
        if (t->results[i].err != ZOK && t->results[i].err != ZRUNTIMEINCONSISTENCY)
            failed = i;
    if (rc != ZOK && failed >= 0)
        rc = t->results[failed].err;
    m->kind = MSG_WRITE;
    m->op = WRITE_DELETE_MANY;
    m->epoch = t->epoch;
    m->tag = t->tag;
    m->rc = rc;
    m->res = zk_res_of(rc);
    m->failed = failed;
    m->names = t->paths;
    m->n_names = t->n;
    m->versions = t->versions;
    m->path = strdup(t->paths[failed >= 0 ? failed : t->n - 1]);
    m->version = t->versions[failed >= 0 ? failed : t->n - 1];
    queue_push(t->z->q, m);
    multi_free(t, false);
}

bool zk_delete_many(struct zk *z, char *const *paths, const int32_t *versions, size_t n,
                    uint32_t tag)
{
    struct multi *t;
    size_t bytes = 0;
    if (z->read_only || !z->zh || n == 0 || n > ZK_MULTI_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(paths[i]);
    if (bytes > ZK_MULTI_BYTES)
        return false;
    if (!(t = calloc(1, sizeof *t)))
        return false;
    t->z = z;
    t->epoch = atomic_load(&z->epoch);
    t->tag = tag;
    t->paths = calloc(n, sizeof *t->paths);
    t->versions = calloc(n, sizeof *t->versions);
    t->ops = calloc(n, sizeof *t->ops);
    t->results = calloc(n, sizeof *t->results);
    if (!t->paths || !t->versions || !t->ops || !t->results) {
        multi_free(t, true);
        return false;
    }
    for (t->n = 0; (size_t)t->n < n; t->n++) {
        if (!(t->paths[t->n] = strdup(paths[t->n]))) {
            multi_free(t, true);
            return false;
        }
        t->versions[t->n] = versions[t->n];
        zoo_delete_op_init(&t->ops[t->n], t->paths[t->n], versions[t->n]);
    }
    if (zoo_amulti(z->zh, t->n, t->ops, t->results, multi_cb, t) != ZOK) {
        multi_free(t, true);
        return false;
    }
    z->in_flight++;
    z->writes++;
    return true;
}

bool zk_set_data(struct zk *z, const char *path, const char *data, int32_t len, int32_t version,
                 uint32_t tag)
{
    struct req *r;
    if (z->read_only || !z->zh)
        return false;
    if (!(r = zk_req_new(z, MSG_WRITE, path, tag)))
        return false;
    r->op = WRITE_SET;
    r->version = version;
    if (!sent(z, r, zoo_aset(z->zh, path, data, len, version, stat_cb, r)))
        return false;
    z->writes++;
    return true;
}

bool zk_create(struct zk *z, const char *path, const char *data, int32_t len,
               enum create_mode mode, int64_t ttl_ms, uint32_t tag)
{
    static const int *const modes[] = {
        [CREATE_PERSISTENT] = &ZOO_PERSISTENT, [CREATE_EPHEMERAL] = &ZOO_EPHEMERAL,
        [CREATE_PERSISTENT_SEQ] = &ZOO_PERSISTENT_SEQUENTIAL,
        [CREATE_EPHEMERAL_SEQ] = &ZOO_EPHEMERAL_SEQUENTIAL, [CREATE_CONTAINER] = &ZOO_CONTAINER,
        [CREATE_TTL] = &ZOO_PERSISTENT_WITH_TTL,
        [CREATE_TTL_SEQ] = &ZOO_PERSISTENT_SEQUENTIAL_WITH_TTL,
    };
    bool ttl = mode == CREATE_TTL || mode == CREATE_TTL_SEQ;
    struct req *r;
    if (z->read_only || !z->zh || (unsigned)mode > CREATE_TTL_SEQ || (ttl != (ttl_ms > 0)))
        return false;
    if (!(r = zk_req_new(z, MSG_WRITE, path, tag)))
        return false;
    r->op = WRITE_CREATE;
    r->version = -1;
    if (!sent(z, r, ttl ? zoo_acreate_ttl(z->zh, path, data, len, &ZOO_OPEN_ACL_UNSAFE,
                                          *modes[mode], ttl_ms, create_cb, r)
                        : zoo_acreate(z->zh, path, data, len, &ZOO_OPEN_ACL_UNSAFE, *modes[mode],
                                      create_cb, r)))
        return false;
    z->writes++;
    return true;
}

bool zk_add_auth(struct zk *z, const char *cred)
{
    size_t len = strlen(cred);
    char **v = realloc(z->creds, (z->ncreds + 1) * sizeof *v), *copy;
    if (!v)
        return false;
    z->creds = v;
    if (!(copy = strdup(cred)))
        return false;
    if (strncmp(cred, "digest:", 7) == 0) {
        char id[512], **ids = realloc(z->ids, (z->nids + 1) * sizeof *ids);
        if (ids)
            z->ids = ids;
        if (ids && acl_digest_id(cred + 7, len - 7, id, sizeof id) &&
            (z->ids[z->nids] = strdup(id)))
            z->nids++;
        explicit_bzero(id, sizeof id);
    }
    z->creds[z->ncreds++] = copy;
    return !z->zh || send_auth(z, copy);
}

const char *zk_auth_shown(const struct zk *z, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < z->ncreds && used < len; i++) {
        char one[128];
        auth_shown(z->creds[i], one, sizeof one);
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", one);
    }
    return buf;
}

size_t zk_auth_count(const struct zk *z)
{
    return z->ncreds;
}

size_t zk_auth_ids(const struct zk *z, const char *const **ids)
{
    *ids = (const char *const *)z->ids;
    return z->nids;
}

bool zk_set_acl(struct zk *z, const char *path, const struct acl_entry *v, int32_t n,
                int32_t aversion, uint32_t tag)
{
    struct ACL_vector acl;
    struct req *r;
    int rc;
    if (z->read_only || !z->zh || n <= 0)
        return false;
    if (!(acl.data = calloc((size_t)n, sizeof *acl.data)))
        return false;
    acl.count = n;
    for (int32_t i = 0; i < n; i++) {
        acl.data[i].perms = v[i].perms;
        acl.data[i].id.scheme = v[i].scheme;
        acl.data[i].id.id = v[i].id;
    }
    if (!(r = zk_req_new(z, MSG_WRITE, path, tag))) {
        free(acl.data);
        return false;
    }
    r->op = WRITE_ACL;
    r->version = aversion;
    /* The client encodes the request before it returns: acl may go. */
    rc = zoo_aset_acl(z->zh, path, aversion, &acl, write_cb, r);
    free(acl.data);
    if (!sent(z, r, rc))
        return false;
    z->writes++;
    return true;
}
