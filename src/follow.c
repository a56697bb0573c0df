#include "follow.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "model/datafmt.h"
#include "zk/session.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A headless app: the queue, the session and the model, as the UI has. */
struct run {
    struct queue *q;
    struct app a;
    bool started;
    bool probes;   /* --events asks the ensemble; --locks does not */
};

/* 0 when running; else the exit status, with a sentence on err. */
static int run_start(struct run *r, const struct follow_opts *o, FILE *err)
{
    char msg[256];
    struct zk *zk;
    memset(r, 0, sizeof *r);
    if (!(r->q = queue_new())) {
        fprintf(err, "zktui: out of memory\n");
        return 1;
    }
    if (!(zk = zk_new(r->q, o->hosts, o->session_timeout_ms, o->log, msg, sizeof msg))) {
        fprintf(err, "zktui: %s\n", msg);
        return 2; /* as in the UI: the server list is a bad argument */
    }
    for (int i = 0; o->auth && i < o->auth->n; i++)
        if (!zk_add_auth(zk, o->auth->v[i])) {
            zk_free(zk);
            fprintf(err, "zktui: the ZooKeeper client refused the credentials\n");
            return 1;
        }
    r->started = true;
    if (!app_init(&r->a, r->q, zk, &o->app)) {
        fprintf(err, "zktui: out of memory\n");
        return 1;
    }
    return 0;
}

static void run_stop(struct run *r)
{
    if (r->started) {
        zk_free(r->a.zk); /* no callback runs after this */
        app_fini(&r->a);
    }
    queue_free(r->q);
}

/* Waits up to timeout ms for messages and applies them. */
static void run_pump(struct run *r, int timeout)
{
    struct pollfd p[1 + 64] = { { queue_fd(r->q), POLLIN, 0 } };
    int nprobe = r->probes ? app_probe_fds(&r->a, p + 1, 64, &timeout) : 0;
    if (poll(p, (nfds_t)(1 + nprobe), timeout) > 0 && (p[0].revents & POLLIN))
        app_drain(&r->a);
    if (r->probes)
        app_probe_run(&r->a, p + 1, nprobe);
}

static bool connected(const struct app *a)
{
    return a->state == CONN_CONNECTED || a->state == CONN_READONLY;
}

static bool under(const char *path, const char *top)
{
    size_t n = top ? strlen(top) : 0;
    return !top || strcmp(top, "/") == 0 ||
           (strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

static void print_text(struct app *a, const struct lock_view *v, int64_t now, FILE *out)
{
    struct strbuf b = { 0 };
    text_sanitize(v->path, strlen(v->path), &b);
    fprintf(out, "%s  %s  %s, %zu waiting\n", sb_str(&b), lock_kind_name(v->kind),
            v->nholders ? "held" : "free", lock_waiting(v));
    for (size_t i = 0; i < v->nrows; i++) {
        const struct node *n = v->rows[i].node;
        bool upper;
        int64_t age = lock_row_age(&a->mon, v, i, now, &upper);
        sb_reset(&b);
        text_sanitize(n->name, strlen(n->name), &b);
        fprintf(out, "  %s %s", v->rows[i].holds ? "holds" : "waits", sb_str(&b));
        /* Past the first contenders of a long queue nothing is read. */
        if (n->flags & NODE_HAS_STAT)
            fprintf(out, " owner 0x%" PRIx64 " %s %s%" PRId64 "ms", (uint64_t)n->stat.ephemeral_owner,
                    v->rows[i].holds ? "held" : "waited", upper ? "<=" : "", age);
        else
            fprintf(out, " (not read)");
        if ((n->flags & NODE_HAS_DATA) && node_data(n) && node_data_len(n) > 0) {
            size_t len = (size_t)node_data_len(n);
            sb_reset(&b);
            text_sanitize(node_data(n), len > 64 ? 64 : len, &b);
            fprintf(out, " data %s", sb_str(&b));
        }
        fputc('\n', out);
    }
    sb_free(&b);
}

static void print_json(struct app *a, const struct lock_view *v, int64_t now, FILE *out)
{
    struct strbuf b = { 0 };
    json_quote(v->path, strlen(v->path), &b);
    fprintf(out, "{\"path\":%s,\"kind\":\"%s\",\"holders\":%zu,\"waiting\":%zu,\"max_leases\":%ld,"
            "\"contenders\":[", sb_str(&b), lock_kind_name(v->kind), v->nholders,
            lock_waiting(v), v->max_leases);
    for (size_t i = 0; i < v->nrows; i++) {
        const struct lock_row *r = &v->rows[i];
        bool upper;
        int64_t age = lock_row_age(&a->mon, v, i, now, &upper);
        sb_reset(&b);
        json_quote(r->node->name, strlen(r->node->name), &b);
        fprintf(out, "%s{\"name\":%s,\"seq\":%lld,\"role\":\"%s\",\"holds\":%s,", i ? "," : "",
                sb_str(&b), r->seq, lock_role_name(r->role), r->holds ? "true" : "false");
        if (r->node->flags & NODE_HAS_STAT)
            fprintf(out, "\"owner\":\"0x%" PRIx64 "\",\"age_ms\":%" PRId64 ",\"age_is_upper_bound\":%s,",
                    (uint64_t)r->node->stat.ephemeral_owner, age, upper ? "true" : "false");
        else
            fputs("\"owner\":null,\"age_ms\":null,\"age_is_upper_bound\":false,", out);
        fputs("\"data\":", out);
        sb_reset(&b);
        if ((r->node->flags & NODE_HAS_DATA) && node_data(r->node))
            json_quote(node_data(r->node), (size_t)node_data_len(r->node), &b);
        fputs(b.s ? sb_str(&b) : "null", out);
        fputc('}', out);
    }
    fputs("]}\n", out);
    sb_free(&b);
}

/* Settled: connected, every read answered and nothing more asked. */
static bool settle(struct run *r, int timeout_ms, FILE *err, const char *hosts)
{
    long long deadline = mono_ms() + timeout_ms;
    int quiet = 0;
    while (quiet < 2) {
        long long left = deadline - mono_ms();
        if (left <= 0) {
            fprintf(err, "zktui: %s within %d ms (%s)\n",
                    connected(&r->a) ? "the reads did not finish" : "no connection",
                    timeout_ms, connected(&r->a) ? hosts : conn_state_name(r->a.state));
            return false;
        }
        run_pump(r, (int)(left < 50 ? left : 50));
        app_follow(&r->a);
        if (r->a.state == CONN_AUTH_FAILED) {
            fprintf(err, "zktui: %s\n", r->a.error); /* nothing will come */
            return false;
        }
        /* Two passes with nothing in flight: the last answers asked for
         * nothing more. */
        quiet = connected(&r->a) && zk_in_flight(r->a.zk) == 0 ? quiet + 1 : 0;
    }
    return true;
}

int follow_locks(const struct follow_opts *o, FILE *out, FILE *err)
{
    struct run r;
    int status = run_start(&r, o, err);
    size_t printed = 0;
    if (status)
        goto done;
    status = 1;
    /* PATH is looked under, however deep; it is not made a lock root. */
    if (o->path && strcmp(o->path, "/") != 0 && !monitor_focus(&r.a.mon, o->path)) {
        fprintf(err, "zktui: out of memory\n");
        goto done;
    }
    if (settle(&r, o->session_timeout_ms, err, o->hosts)) {
        int64_t now = app_now_ms();
        if (o->path && !store_get(r.a.store, o->path)) {
            fprintf(err, "zktui: %s: no such node\n", o->path);
            goto done;
        }
        for (size_t i = 0; i < r.a.mon.nlocks; i++) {
            const struct lock_view *v = &r.a.mon.locks[i];
            if (!v->shown || (!under(v->path, o->path) && !under(v->queue_path, o->path)))
                continue;
            (o->json ? print_json : print_text)(&r.a, v, now, out);
            printed++;
        }
        if (!o->json && printed == 0)
            fprintf(err, "zktui: no locks found%s%s\n", o->path ? " under " : "",
                    o->path ? o->path : "");
        status = fflush(out) == 0 && !ferror(out) ? 0 : 1;
        if (status)
            fprintf(err, "zktui: writing the output: %s\n", strerror(errno));
    }
done:
    run_stop(&r);
    return status;
}

static bool print_event(const struct event *e, FILE *out)
{
    struct strbuf b = { 0 };
    char when[40], zone[8];
    time_t t = (time_t)(e->time_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm);
    json_quote(e->text, strlen(e->text), &b);
    fprintf(out, "{\"time\":\"%s.%03d%s\",\"time_ms\":%" PRId64 ",\"kind\":\"%s\",\"text\":%s}\n",
            when, (int)(e->time_ms % 1000), zone, e->time_ms, event_kind_name(e->kind), sb_str(&b));
    sb_free(&b);
    return fflush(out) == 0;
}

int follow_events(const struct follow_opts *o, FILE *out, FILE *err)
{
    struct run r;
    struct sigaction sa;
    uint64_t printed = 0;
    int status;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error: the end */
    if ((status = run_start(&r, o, err)))
        goto done;
    r.probes = true;
    while (!stop_signal) {
        struct event_log *l = &r.a.log;
        run_pump(&r, 1000);
        app_follow(&r.a);
        if (l->total - printed > l->n)
            printed = l->total - l->n; /* dropped from the ring meanwhile */
        for (; printed < l->total; printed++)
            if (!print_event(events_get(l, l->n - (size_t)(l->total - printed)), out))
                goto done; /* the reader went away */
    }
done:
    run_stop(&r);
    return status;
}
