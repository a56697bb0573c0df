/* See probe.h. One slot per member, each an exchange of fourlw.c's
 * (connect, send srvr, read to EOF, every step one non-blocking call made
 * when poll says the socket is ready, so nothing here ever waits); what is
 * here is the schedule, and the answers taken to the ensemble. */
#include "zk/probe.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "zk/fourlw.h"

/* A srvr answer is ~300 bytes; anything this big is not one, and must not
 * grow without bound. */
#define ANSWER_MAX (64 * 1024)
#define WORD "srvr"

struct slot {
    struct addrinfo *ai;         /* owned; NULL when the host did not resolve */
    char resolve_err[96];        /* why it did not */
    struct fourlw_target t;      /* ai's first FOURLW_ADDRS, tried in turn */
    struct fourlw_io io;         /* idle between probes */
};

struct probe {
    struct ensemble *e;          /* borrowed */
    struct slot *s;              /* e->n of them */
    size_t n;
    int interval_ms, timeout_ms;
    bool started;
    long long next_round;        /* monotonic ms */
    unsigned long rounds;
};

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

static void slot_resolve(struct slot *s, const struct member *m)
{
    struct addrinfo hints = {0};
    char port[16];
    int rc;

    /* No AI_ADDRCONFIG: it hides ::1 on hosts whose only IPv6 address is
     * the loopback one, where "[::1]:2181" still works. */
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof port, "%d", m->port);
    rc = getaddrinfo(m->host, port, &hints, &s->ai);
    if (rc != 0) {
        s->ai = NULL;
        const char *prefix = "cannot resolve the host: ";
        snprintf(s->resolve_err, sizeof s->resolve_err, "%s%s", prefix,
                 rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        s->resolve_err[strlen(prefix)] = (char)tolower((unsigned char)s->resolve_err[strlen(prefix)]);
    }
    fourlw_target_ai(&s->t, m->host, s->ai);
}

struct probe *probe_new(struct ensemble *e, int interval_ms, int timeout_ms, char *err, size_t errlen)
{
    struct probe *p;

    if (interval_ms < 1 || timeout_ms < 1) {
        set_err(err, errlen, "the probe interval and timeout must be at least 1 ms");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (!p || !(p->s = calloc(e->n ? e->n : 1, sizeof *p->s))) {
        free(p);
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    p->e = e;
    p->n = e->n;
    p->interval_ms = interval_ms;
    p->timeout_ms = timeout_ms;
    for (size_t i = 0; i < p->n; i++) {
        fourlw_io_init(&p->s[i].io);
        slot_resolve(&p->s[i], &e->v[i]);
    }
    return p;
}

void probe_free(struct probe *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        fourlw_io_free(&p->s[i].io);
        if (p->s[i].ai)
            freeaddrinfo(p->s[i].ai);
    }
    free(p->s);
    free(p);
}

/* ---- one probe ----------------------------------------------------------- */

/* The context every step needs to report a finished probe. */
struct run {
    struct probe *p;
    long long now, wall;
    struct event_log *log;
};

static void slot_done(const struct run *r, size_t i, const struct probe_result *res)
{
    r->p->s[i].io.phase = FOURLW_IDLE;
    ensemble_observe(r->p->e, i, res, r->wall, r->log);
}

static void slot_down(const struct run *r, size_t i, const char *why)
{
    struct probe_result res = {.status = PROBE_DOWN};

    snprintf(res.why, sizeof res.why, "%s", why);
    slot_done(r, i, &res);
}

/* Reports the probe once its exchange is done: what the server said when
 * it closed the connection is the answer. */
static void slot_check(const struct run *r, size_t i)
{
    const struct fourlw_io *io = &r->p->s[i].io;
    struct probe_result res;

    if (io->phase != FOURLW_DONE)
        return;
    if (!io->ok) {
        slot_down(r, i, io->why);
        return;
    }
    srvr_classify(io->buf ? io->buf : "", io->len, &res);
    slot_done(r, i, &res);
}

static void slot_start(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];

    if (!s->ai) {
        slot_down(r, i, s->resolve_err);
        return;
    }
    fourlw_io_start(&s->io, &s->t, WORD, ANSWER_MAX, r->now + r->p->timeout_ms);
    slot_check(r, i);
}

/* ---- the loop's side ----------------------------------------------------- */

int probe_pollfds(struct probe *p, struct pollfd *fds, int max)
{
    int k = 0;

    for (size_t i = 0; i < p->n && k < max; i++)
        if (fourlw_io_pollfd(&p->s[i].io, &fds[k]))
            k++;
    return k;
}

int probe_timeout(const struct probe *p, long long now_mono_ms)
{
    long long due, d;

    if (!p->started)
        return 0;
    due = p->next_round;
    for (size_t i = 0; i < p->n; i++)
        if (fourlw_io_active(&p->s[i].io) && p->s[i].io.deadline < due)
            due = p->s[i].io.deadline;
    d = due - now_mono_ms;
    return d <= 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

/* One pollfd's revents, for the slot that owns its fd. */
static void slot_ready(const struct run *r, size_t i, short revents)
{
    struct fourlw_io *io = &r->p->s[i].io;

    if (io->phase == FOURLW_READING && (revents & POLLNVAL))
        fourlw_io_fail(io, "socket closed under the prober");
    else
        fourlw_io_ready(io);
    slot_check(r, i);
}

static void round_start(const struct run *r)
{
    struct probe *p = r->p;

    p->next_round = p->started ? p->next_round + p->interval_ms : r->now + p->interval_ms;
    if (p->next_round <= r->now)
        p->next_round = r->now + p->interval_ms; /* the loop fell behind: skip, never burst */
    p->started = true;
    p->rounds++;
    /* A slot still busy (timeout_ms > interval_ms) keeps its probe. */
    for (size_t i = 0; i < p->n; i++)
        if (p->s[i].io.phase == FOURLW_IDLE)
            slot_start(r, i);
}

void probe_run(struct probe *p, const struct pollfd *fds, int n, long long now_mono_ms, long long wall_ms,
               struct event_log *log)
{
    const struct run r = {p, now_mono_ms, wall_ms, log};

    for (int k = 0; k < n; k++) {
        if (fds[k].fd < 0 || fds[k].revents == 0)
            continue;
        for (size_t i = 0; i < p->n; i++)
            if (p->s[i].io.fd == fds[k].fd && fourlw_io_active(&p->s[i].io)) {
                slot_ready(&r, i, fds[k].revents);
                break;
            }
    }
    for (size_t i = 0; i < p->n; i++)
        if (fourlw_io_active(&p->s[i].io) && now_mono_ms >= p->s[i].io.deadline) {
            fourlw_io_fail(&p->s[i].io, "timed out");
            slot_check(&r, i);
        }
    if (!p->started || now_mono_ms >= p->next_round)
        round_start(&r);
}

unsigned long probe_rounds(const struct probe *p)
{
    return p->rounds;
}

const struct addrinfo *probe_addrinfo(const struct probe *p, size_t i)
{
    return p && i < p->n ? p->s[i].ai : NULL;
}
