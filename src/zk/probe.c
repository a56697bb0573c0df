/* See probe.h. One slot per member walks IDLE -> CONNECTING -> SENDING ->
 * READING -> IDLE; every step is one non-blocking call made when poll says
 * the socket is ready, so nothing here ever waits. */
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
#include <unistd.h>

/* A srvr answer is ~300 bytes; anything this big is not one, and must not
 * grow without bound. */
#define ANSWER_MAX (64 * 1024)
#define WORD "srvr"

enum phase { PHASE_IDLE, PHASE_CONNECTING, PHASE_SENDING, PHASE_READING };

struct slot {
    struct addrinfo *ai;         /* owned; NULL when the host did not resolve */
    char resolve_err[96];        /* why it did not */
    const struct addrinfo *cur;  /* the address being tried */
    int fd;                      /* -1 when idle */
    enum phase phase;
    size_t sent;                 /* bytes of WORD sent */
    char *buf;                   /* owned, kept between rounds */
    size_t len, cap;
    long long deadline;          /* monotonic ms */
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

/* strerror_r's sentence, lower case: "connection refused". */
static void errno_text(int err, char *buf, size_t len)
{
    if (strerror_r(err, buf, len) != 0)
        snprintf(buf, len, "error %d", err);
    if (buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
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
        p->s[i].fd = -1;
        slot_resolve(&p->s[i], &e->v[i]);
    }
    return p;
}

static void slot_close(struct slot *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    s->phase = PHASE_IDLE;
}

void probe_free(struct probe *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        slot_close(&p->s[i]);
        if (p->s[i].ai)
            freeaddrinfo(p->s[i].ai);
        free(p->s[i].buf);
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
    slot_close(&r->p->s[i]);
    ensemble_observe(r->p->e, i, res, r->wall, r->log);
}

static void slot_down(const struct run *r, size_t i, const char *why)
{
    struct probe_result res = {.status = PROBE_DOWN};

    snprintf(res.why, sizeof res.why, "%s", why);
    slot_done(r, i, &res);
}

static void slot_down_errno(const struct run *r, size_t i, int err)
{
    char why[128];

    errno_text(err, why, sizeof why);
    slot_down(r, i, why);
}

/* Opens a socket to s->cur, or to the addresses after it when that fails
 * at once; down with the last error when none is left. */
static void slot_connect(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];
    int err = ECONNREFUSED;

    for (; s->cur; s->cur = s->cur->ai_next) {
        const struct addrinfo *a = s->cur;
        s->fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (s->fd < 0) {
            err = errno;
            continue;
        }
        /* EINTR: the connection goes on in the background, as EINPROGRESS. */
        if (connect(s->fd, a->ai_addr, a->ai_addrlen) == 0 || errno == EINPROGRESS || errno == EINTR) {
            s->phase = PHASE_CONNECTING; /* POLLOUT says when it is done, even when it already is */
            return;
        }
        err = errno;
        slot_close(s);
    }
    slot_down_errno(r, i, err);
}

static void slot_start(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];

    if (!s->ai) {
        slot_down(r, i, s->resolve_err);
        return;
    }
    s->cur = s->ai;
    s->sent = 0;
    s->len = 0;
    s->deadline = r->now + r->p->timeout_ms;
    slot_connect(r, i);
}

static void slot_send(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];

    while (s->sent < strlen(WORD)) {
        /* MSG_NOSIGNAL: a server gone meanwhile gives EPIPE, not SIGPIPE. */
        ssize_t k = send(s->fd, &WORD[s->sent], strlen(WORD) - s->sent, MSG_NOSIGNAL);
        if (k >= 0) {
            s->sent += (size_t)k;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return;
        } else if (errno != EINTR) {
            slot_down_errno(r, i, errno);
            return;
        }
    }
    s->phase = PHASE_READING;
}

/* POLLOUT (or an error) on a connecting socket. */
static void slot_connected(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];
    int err = 0;
    socklen_t len = sizeof err;

    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err == 0) {
        s->phase = PHASE_SENDING;
        slot_send(r, i); /* writable already: no need to wait for another POLLOUT */
        return;
    }
    slot_close(s);
    if (s->cur->ai_next) {
        s->cur = s->cur->ai_next;
        slot_connect(r, i);
    } else {
        slot_down_errno(r, i, err);
    }
}

/* The server closed the connection: what it said is the answer. */
static void slot_answered(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];
    struct probe_result res;

    srvr_classify(s->buf ? s->buf : "", s->len, &res);
    slot_done(r, i, &res);
}

static bool slot_grow(struct slot *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    char *b;

    if (cap > ANSWER_MAX)
        cap = ANSWER_MAX;
    b = realloc(s->buf, cap);
    if (!b)
        return false;
    s->buf = b;
    s->cap = cap;
    return true;
}

static void slot_read(const struct run *r, size_t i)
{
    struct slot *s = &r->p->s[i];

    for (;;) {
        ssize_t k;
        if (s->len == ANSWER_MAX) {
            slot_answered(r, i); /* enough: no srvr answer is this long */
            return;
        }
        if (s->len == s->cap && !slot_grow(s)) {
            slot_down(r, i, "out of memory");
            return;
        }
        k = read(s->fd, s->buf + s->len, s->cap - s->len);
        if (k > 0) {
            s->len += (size_t)k;
        } else if (k == 0) {
            slot_answered(r, i);
            return;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return;
        } else if (errno != EINTR) {
            slot_down_errno(r, i, errno);
            return;
        }
    }
}

/* ---- the loop's side ----------------------------------------------------- */

int probe_pollfds(struct probe *p, struct pollfd *fds, int max)
{
    int k = 0;

    for (size_t i = 0; i < p->n && k < max; i++) {
        const struct slot *s = &p->s[i];
        if (s->phase == PHASE_IDLE)
            continue;
        fds[k].fd = s->fd;
        fds[k].events = s->phase == PHASE_READING ? POLLIN : POLLOUT;
        fds[k].revents = 0;
        k++;
    }
    return k;
}

int probe_timeout(const struct probe *p, long long now_mono_ms)
{
    long long due, d;

    if (!p->started)
        return 0;
    due = p->next_round;
    for (size_t i = 0; i < p->n; i++)
        if (p->s[i].phase != PHASE_IDLE && p->s[i].deadline < due)
            due = p->s[i].deadline;
    d = due - now_mono_ms;
    return d <= 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

/* One pollfd's revents, for the slot that owns its fd. */
static void slot_ready(const struct run *r, size_t i, short revents)
{
    switch (r->p->s[i].phase) {
    case PHASE_CONNECTING:
        slot_connected(r, i);
        break;
    case PHASE_SENDING:
        slot_send(r, i);
        break;
    case PHASE_READING:
        if (revents & POLLNVAL)
            slot_down(r, i, "socket closed under the prober");
        else
            slot_read(r, i);
        break;
    case PHASE_IDLE:
        break;
    }
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
        if (p->s[i].phase == PHASE_IDLE)
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
            if (p->s[i].fd == fds[k].fd && p->s[i].phase != PHASE_IDLE) {
                slot_ready(&r, i, fds[k].revents);
                break;
            }
    }
    for (size_t i = 0; i < p->n; i++)
        if (p->s[i].phase != PHASE_IDLE && now_mono_ms >= p->s[i].deadline)
            slot_down(&r, i, "timed out");
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
