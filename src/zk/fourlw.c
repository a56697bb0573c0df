/* See fourlw.h. One exchange walks IDLE -> CONNECTING -> SENDING ->
 * READING -> DONE; every step is one non-blocking call made when poll says
 * the socket is ready. A round's DONE exchanges are reported by the next
 * fourlw_run; probe.c reports its own as soon as they are. */
#include "zk/fourlw.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fourlw {
    char word[5];
    size_t max;
    int timeout_ms;
    struct fourlw_io *s;     /* one per target */
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

/* ---- one exchange ------------------------------------------------------------ */

void fourlw_io_init(struct fourlw_io *io)
{
    memset(io, 0, sizeof *io);
    io->fd = -1;
}

static void io_close(struct fourlw_io *io)
{
    if (io->fd >= 0)
        close(io->fd);
    io->fd = -1;
}

void fourlw_io_free(struct fourlw_io *io)
{
    io_close(io);
    free(io->buf);
    io->buf = NULL;
    io->len = io->cap = 0;
    io->phase = FOURLW_IDLE;
}

bool fourlw_io_active(const struct fourlw_io *io)
{
    return io->phase != FOURLW_IDLE && io->phase != FOURLW_DONE;
}

void fourlw_io_fail(struct fourlw_io *io, const char *why)
{
    io_close(io);
    io->ok = false;
    snprintf(io->why, sizeof io->why, "%s", why);
    io->phase = FOURLW_DONE;
}

static void io_fail_errno(struct fourlw_io *io, int err)
{
    char why[128];
    if (strerror_r(err, why, sizeof why) != 0)
        snprintf(why, sizeof why, "error %d", err);
    if (why[0] >= 'A' && why[0] <= 'Z')
        why[0] = (char)(why[0] - 'A' + 'a');
    fourlw_io_fail(io, why);
}

/* Opens a socket to the current address, or the ones after it when that
 * fails at once. */
static void io_connect(struct fourlw_io *io)
{
    int err = ECONNREFUSED;
    for (; io->cur < io->t.naddr; io->cur++) {
        const struct sockaddr_storage *a = &io->t.addr[io->cur];
        io->fd = socket(a->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (io->fd < 0) {
            err = errno;
            continue;
        }
        /* EINTR: the connection goes on in the background, as EINPROGRESS. */
        if (connect(io->fd, (const struct sockaddr *)a, io->t.addrlen[io->cur]) == 0 ||
            errno == EINPROGRESS || errno == EINTR) {
            io->phase = FOURLW_CONNECTING; /* POLLOUT says when it is done, even when it already is */
            return;
        }
        err = errno;
        io_close(io);
    }
    if (io->t.naddr == 0)
        fourlw_io_fail(io, "no address");
    else
        io_fail_errno(io, err);
}

void fourlw_io_start(struct fourlw_io *io, const struct fourlw_target *t, const char *word, size_t max,
                     long long deadline)
{
    io_close(io);
    io->t = *t;
    io->word = word;
    io->max = max;
    io->deadline = deadline;
    io->cur = 0;
    io->sent = io->len = 0;
    io->cut = io->ok = false;
    io->why[0] = '\0';
    io_connect(io);
}

static void io_send(struct fourlw_io *io)
{
    while (io->sent < 4) {
        /* MSG_NOSIGNAL: a server gone meanwhile gives EPIPE, not SIGPIPE. */
        ssize_t k = send(io->fd, io->word + io->sent, 4 - io->sent, MSG_NOSIGNAL);
        if (k >= 0)
            io->sent += (size_t)k;
        else if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        else if (errno != EINTR) {
            io_fail_errno(io, errno);
            return;
        }
    }
    io->phase = FOURLW_READING;
}

/* POLLOUT (or an error) on a connecting socket. */
static void io_connected(struct fourlw_io *io)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        err = errno;
    if (err == 0) {
        io->phase = FOURLW_SENDING;
        io_send(io); /* writable already: no need to wait for another POLLOUT */
        return;
    }
    io_close(io);
    if (io->cur + 1 < io->t.naddr) {
        io->cur++;
        io_connect(io);
    } else
        io_fail_errno(io, err);
}

/* The server closed the connection (or max was reached): what it said is
 * the answer. */
static void io_answered(struct fourlw_io *io)
{
    io_close(io);
    io->ok = true;
    io->phase = FOURLW_DONE;
}

static void io_read(struct fourlw_io *io)
{
    for (;;) {
        ssize_t k;
        if (io->len == io->max) {
            io->cut = true;
            io_answered(io);
            return;
        }
        if (io->len == io->cap) {
            size_t cap = io->cap ? io->cap * 2 : 4096;
            char *b;
            if (cap > io->max)
                cap = io->max;
            if (!(b = realloc(io->buf, cap))) {
                fourlw_io_fail(io, "out of memory");
                return;
            }
            io->buf = b;
            io->cap = cap;
        }
        k = read(io->fd, io->buf + io->len, io->cap - io->len);
        if (k > 0)
            io->len += (size_t)k;
        else if (k == 0) {
            io_answered(io);
            return;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        else if (errno != EINTR) {
            io_fail_errno(io, errno);
            return;
        }
    }
}

bool fourlw_io_pollfd(const struct fourlw_io *io, struct pollfd *pfd)
{
    if (!fourlw_io_active(io) || io->fd < 0)
        return false;
    pfd->fd = io->fd;
    pfd->events = io->phase == FOURLW_READING ? POLLIN : POLLOUT;
    pfd->revents = 0;
    return true;
}

void fourlw_io_ready(struct fourlw_io *io)
{
    switch (io->phase) {
    case FOURLW_CONNECTING: io_connected(io); break;
    case FOURLW_SENDING: io_send(io); break;
    case FOURLW_READING: io_read(io); break;
    default: break;
    }
}

/* ---- a round ------------------------------------------------------------------ */

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

void fourlw_free(struct fourlw *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->cap; i++)
        fourlw_io_free(&f->s[i]);
    free(f->s);
    free(f);
}

bool fourlw_busy(const struct fourlw *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->s[i].phase != FOURLW_IDLE)
            return true;
    return false;
}

bool fourlw_start(struct fourlw *f, const struct fourlw_target *t, size_t n, long long now_mono_ms)
{
    if (fourlw_busy(f))
        return false;
    if (n > f->cap) {
        struct fourlw_io *s = realloc(f->s, n * sizeof *s);
        if (!s)
            return false;
        for (size_t i = f->cap; i < n; i++)
            fourlw_io_init(&s[i]);
        f->s = s;
        f->cap = n;
    }
    f->n = n;
    for (size_t i = 0; i < n; i++)
        fourlw_io_start(&f->s[i], &t[i], f->word, f->max, now_mono_ms + f->timeout_ms);
    return true;
}

int fourlw_pollfds(struct fourlw *f, struct pollfd *fds, int max)
{
    int k = 0;
    for (size_t i = 0; i < f->n && k < max; i++)
        if (fourlw_io_pollfd(&f->s[i], &fds[k]))
            k++;
    return k;
}

int fourlw_timeout(const struct fourlw *f, long long now_mono_ms)
{
    long long due = -1, d;
    for (size_t i = 0; i < f->n; i++) {
        const struct fourlw_io *s = &f->s[i];
        if (s->phase == FOURLW_DONE)
            return 0;
        if (s->phase != FOURLW_IDLE && (due < 0 || s->deadline < due))
            due = s->deadline;
    }
    if (due < 0)
        return -1;
    d = due - now_mono_ms;
    return d <= 0 ? 0 : d > INT_MAX ? INT_MAX : (int)d;
}

void fourlw_run(struct fourlw *f, const struct pollfd *fds, int n, long long now_mono_ms,
                fourlw_cb cb, void *ctx)
{
    for (int k = 0; k < n; k++) {
        if (fds[k].fd < 0 || fds[k].revents == 0)
            continue;
        for (size_t i = 0; i < f->n; i++) {
            struct fourlw_io *s = &f->s[i];
            if (s->fd != fds[k].fd || !fourlw_io_active(s))
                continue;
            if (s->phase == FOURLW_READING && (fds[k].revents & POLLNVAL))
                fourlw_io_fail(s, "socket closed under the asker");
            else
                fourlw_io_ready(s);
            break;
        }
    }
    for (size_t i = 0; i < f->n; i++) {
        struct fourlw_io *s = &f->s[i];
        struct fourlw_result r = { 0 };
        if (fourlw_io_active(s) && now_mono_ms >= s->deadline)
            fourlw_io_fail(s, "timed out");
        if (s->phase != FOURLW_DONE)
            continue;
        s->phase = FOURLW_IDLE;
        r.ok = s->ok;
        r.text = s->buf ? s->buf : "";
        r.len = s->ok ? s->len : 0;
        r.cut = s->cut;
        snprintf(r.why, sizeof r.why, "%s", s->why);
        if (cb)
            cb(ctx, i, &r);
    }
}
