/* See fourlw.h. One slot per target walks CONNECTING -> SENDING -> READING
 * -> DONE; every step is one non-blocking call made when poll says the
 * socket is ready. DONE slots are reported by the next fourlw_run. */
#include "zk/fourlw.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum phase { PHASE_IDLE, PHASE_CONNECTING, PHASE_SENDING, PHASE_READING, PHASE_DONE };

struct slot {
    struct fourlw_target t;
    int cur;                 /* the address being tried */
    int fd;                  /* -1 when none is open */
    enum phase phase;
    size_t sent;
    char *buf;               /* owned, kept between rounds */
    size_t len, cap;
    bool cut;
    bool ok;                 /* DONE: answered (else why) */
    char why[128];
    long long deadline;      /* monotonic ms */
};

struct fourlw {
    char word[5];
    size_t max;
    int timeout_ms;
    struct slot *s;
    size_t n, cap;
};

void fourlw_target_ai(struct fourlw_target *t, const char *name, const struct addrinfo *ai)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    for (; ai && t->naddr < FOURLW_ADDRS; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof t->addr[0] || ai->ai_socktype != SOCK_STREAM)
            continue;
        memcpy(&t->addr[t->naddr], ai->ai_addr, ai->ai_addrlen);
        t->addrlen[t->naddr++] = ai->ai_addrlen;
    }
}

bool fourlw_target_numeric(struct fourlw_target *t, const char *hostport)
{
    char host[INET6_ADDRSTRLEN + 2];
    const char *colon = strrchr(hostport, ':'), *h = hostport;
    size_t hl;
    char *end;
    long port;
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", hostport);
    if (!colon || colon == hostport)
        return false;
    port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 1 || port > 65535)
        return false;
    hl = (size_t)(colon - hostport);
    if (h[0] == '[' && hl >= 2 && colon[-1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl >= sizeof host)
        return false;
    memcpy(host, h, hl);
    host[hl] = '\0';
    {
        struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&t->addr[0];
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&t->addr[0];
        if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons((uint16_t)port);
            t->addrlen[0] = sizeof *v4;
        } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons((uint16_t)port);
            t->addrlen[0] = sizeof *v6;
        } else
            return false;
    }
    t->naddr = 1;
    return true;
}

static bool addr_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
    }
    return false;
}

bool fourlw_target_same(const struct fourlw_target *a, const struct fourlw_target *b)
{
    for (int i = 0; i < a->naddr; i++)
        for (int j = 0; j < b->naddr; j++)
            if (addr_same(&a->addr[i], &b->addr[j]))
                return true;
    return false;
}

struct fourlw *fourlw_new(const char *word, size_t max, int timeout_ms)
{
    struct fourlw *f;
    if (!word || strlen(word) != 4 || max < 16 || timeout_ms < 1 || !(f = calloc(1, sizeof *f)))
        return NULL;
    memcpy(f->word, word, 5);
    f->max = max;
    f->timeout_ms = timeout_ms;
    return f;
}

static void slot_close(struct slot *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

void fourlw_free(struct fourlw *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->cap; i++) {
        slot_close(&f->s[i]);
        free(f->s[i].buf);
    }
    free(f->s);
    free(f);
}

bool fourlw_busy(const struct fourlw *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->s[i].phase != PHASE_IDLE)
            return true;
    return false;
}

/* ---- one request ------------------------------------------------------------- */

static void slot_fail(struct slot *s, const char *why)
{
    slot_close(s);
    s->ok = false;
    snprintf(s->why, sizeof s->why, "%s", why);
    s->phase = PHASE_DONE;
}

static void slot_fail_errno(struct slot *s, int err)
{
    char why[128];
    if (strerror_r(err, why, sizeof why) != 0)
        snprintf(why, sizeof why, "error %d", err);
    if (why[0] >= 'A' && why[0] <= 'Z')
        why[0] = (char)(why[0] - 'A' + 'a');
    slot_fail(s, why);
}

/* Opens a socket to the current address, or the ones after it when that
 * fails at once. */
static void slot_connect(struct slot *s)
{
    int err = ECONNREFUSED;
    for (; s->cur < s->t.naddr; s->cur++) {
        const struct sockaddr_storage *a = &s->t.addr[s->cur];
        s->fd = socket(a->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (s->fd < 0) {
            err = errno;
            continue;
        }
        if (connect(s->fd, (const struct sockaddr *)a, s->t.addrlen[s->cur]) == 0 ||
            errno == EINPROGRESS || errno == EINTR) {
            s->phase = PHASE_CONNECTING; /* POLLOUT says when it is done */
            return;
        }
        err = errno;
        slot_close(s);
    }
    if (s->t.naddr == 0)
        slot_fail(s, "no address");
    else
        slot_fail_errno(s, err);
}

static void slot_send(struct fourlw *f, struct slot *s)
{
    while (s->sent < 4) {
        ssize_t k = send(s->fd, f->word + s->sent, 4 - s->sent, MSG_NOSIGNAL);
        if (k >= 0)
            s->sent += (size_t)k;
        else if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        else if (errno != EINTR) {
            slot_fail_errno(s, errno);
            return;
        }
    }
    s->phase = PHASE_READING;
}

static void slot_connected(struct fourlw *f, struct slot *s)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err == 0) {
        s->phase = PHASE_SENDING;
        slot_send(f, s);
        return;
    }
    slot_close(s);
    if (s->cur + 1 < s->t.naddr) {
        s->cur++;
        slot_connect(s);
    } else
        slot_fail_errno(s, err);
}

static void slot_answered(struct slot *s)
{
    slot_close(s);
    s->ok = true;
    s->phase = PHASE_DONE;
}

static void slot_read(struct fourlw *f, struct slot *s)
{
    for (;;) {
        ssize_t k;
        if (s->len == f->max) {
            s->cut = true;
            slot_answered(s);
            return;
        }
        if (s->len == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 4096;
            char *b;
            if (cap > f->max)
                cap = f->max;
            if (!(b = realloc(s->buf, cap))) {
                slot_fail(s, "out of memory");
                return;
            }
            s->buf = b;
            s->cap = cap;
        }
        k = read(s->fd, s->buf + s->len, s->cap - s->len);
        if (k > 0)
            s->len += (size_t)k;
        else if (k == 0) {
            slot_answered(s);
            return;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        else if (errno != EINTR) {
            slot_fail_errno(s, errno);
            return;
        }
    }
}

/* ---- the loop's side ------------------------------------------------------- */

bool fourlw_start(struct fourlw *f, const struct fourlw_target *t, size_t n, long long now_mono_ms)
{
    if (fourlw_busy(f))
        return false;
    if (n > f->cap) {
        struct slot *s = realloc(f->s, n * sizeof *s);
        if (!s)
            return false;
        for (size_t i = f->cap; i < n; i++)
            s[i] = (struct slot){ .fd = -1 };
        f->s = s;
        f->cap = n;
    }
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        struct slot *s = &f->s[i];
        s->t = t[i];
        s->cur = 0;
        s->sent = s->len = 0;
        s->cut = s->ok = false;
        s->why[0] = '\0';
        s->deadline = now_mono_ms + f->timeout_ms;
        slot_connect(s);
    }
    return true;
}

int fourlw_pollfds(struct fourlw *f, struct pollfd *fds, int max)
{
    int k = 0;
    for (size_t i = 0; i < f->n && k < max; i++) {
        const struct slot *s = &f->s[i];
        if (s->phase == PHASE_IDLE || s->phase == PHASE_DONE || s->fd < 0)
            continue;
        fds[k].fd = s->fd;
        fds[k].events = s->phase == PHASE_READING ? POLLIN : POLLOUT;
        fds[k].revents = 0;
        k++;
    }
    return k;
}

int fourlw_timeout(const struct fourlw *f, long long now_mono_ms)
{
    long long due = -1, d;
    for (size_t i = 0; i < f->n; i++) {
        const struct slot *s = &f->s[i];
        if (s->phase == PHASE_DONE)
            return 0;
        if (s->phase != PHASE_IDLE && (due < 0 || s->deadline < due))
            due = s->deadline;
    }
    if (due < 0)
        return -1;
    d = due - now_mono_ms;
    return d <= 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

static void slot_ready(struct fourlw *f, struct slot *s, short revents)
{
    switch (s->phase) {
    case PHASE_CONNECTING: slot_connected(f, s); break;
    case PHASE_SENDING: slot_send(f, s); break;
    case PHASE_READING:
        if (revents & POLLNVAL)
            slot_fail(s, "socket closed under the asker");
        else
            slot_read(f, s);
        break;
    default: break;
    }
}

void fourlw_run(struct fourlw *f, const struct pollfd *fds, int n, long long now_mono_ms,
                fourlw_cb cb, void *ctx)
{
    for (int k = 0; k < n; k++) {
        if (fds[k].fd < 0 || fds[k].revents == 0)
            continue;
        for (size_t i = 0; i < f->n; i++)
            if (f->s[i].fd == fds[k].fd && f->s[i].phase != PHASE_IDLE &&
                f->s[i].phase != PHASE_DONE) {
                slot_ready(f, &f->s[i], fds[k].revents);
                break;
            }
    }
    for (size_t i = 0; i < f->n; i++) {
        struct slot *s = &f->s[i];
        struct fourlw_result r = { 0 };
        if (s->phase != PHASE_IDLE && s->phase != PHASE_DONE && now_mono_ms >= s->deadline)
            slot_fail(s, "timed out");
        if (s->phase != PHASE_DONE)
            continue;
        s->phase = PHASE_IDLE;
        r.ok = s->ok;
        r.text = s->buf ? s->buf : "";
        r.len = s->ok ? s->len : 0;
        r.cut = s->cut;
        snprintf(r.why, sizeof r.why, "%s", s->why);
        if (cb)
            cb(ctx, i, &r);
    }
}
