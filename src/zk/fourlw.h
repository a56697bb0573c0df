/* One round of a four-letter word (`cons`) asked of a few servers at once,
 * on non-blocking sockets that the UI's poll loop drives: no thread, no
 * blocking call, no busy wait. probe.c asks `srvr` on its own schedule
 * with the same exchange (fourlw_io, below) per member; a round asks only
 * when told to.
 *
 * fourlw_start opens one TCP connection per target, sends the word, reads
 * the answer to EOF (at most max bytes: the rest is cut) and closes; a
 * target not done within timeout_ms is "timed out". Each outcome goes to
 * the callback given to fourlw_run, once per target and round.
 *
 * The loop, on the UI thread (the only one that may call these):
 *
 *     n = fourlw_pollfds(f, fds, max);
 *     poll(fds, n, fourlw_timeout(f, mono_ms()));   (with its own fds too)
 *     fourlw_run(f, fds, n, mono_ms(), cb, ctx); */
#ifndef ZKTUI_ZK_FOURLW_H
#define ZKTUI_ZK_FOURLW_H

#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define FOURLW_ADDRS 4 /* addresses tried per target, in order */

/* Where to ask: a name for the caller, and the addresses to try. */
struct fourlw_target {
    char name[280];
    struct sockaddr_storage addr[FOURLW_ADDRS];
    socklen_t addrlen[FOURLW_ADDRS];
    int naddr;
};

/* The first FOURLW_ADDRS addresses of an addrinfo list (ai may be NULL: no
 * address, the target then fails at once). */
void fourlw_target_ai(struct fourlw_target *t, const char *name, const struct addrinfo *ai);

/* A numeric "1.2.3.4:2181", "::1:2181" or "[::1]:2181" (the C client's
 * zoo_get_current_server); no name lookup, so it never blocks. False when
 * it is not one. */
bool fourlw_target_numeric(struct fourlw_target *t, const char *hostport);

/* True when a and b share an address (same family, address and port). */
bool fourlw_target_same(const struct fourlw_target *a, const struct fourlw_target *b);

/* An outcome: ok with the answer (text is the asker's buffer, valid only
 * during the callback; cut when it hit max), or why not. */
struct fourlw_result {
    bool ok;
    const char *text;
    size_t len;
    bool cut;
    char why[128];       /* "connection refused", "timed out" ... */
};
typedef void (*fourlw_cb)(void *ctx, size_t target, const struct fourlw_result *r);

struct fourlw;

/* An asker of word (4 letters), answers of at most max bytes, each target
 * given timeout_ms. NULL when out of memory or an argument is not valid. */
struct fourlw *fourlw_new(const char *word, size_t max, int timeout_ms);
/* Closes what is open and frees f (NULL is fine). */
void fourlw_free(struct fourlw *f);

/* Starts a round: asks each of the n targets (copied). False, nothing
 * started, when a round is still going or out of memory. */
bool fourlw_start(struct fourlw *f, const struct fourlw_target *t, size_t n, long long now_mono_ms);
/* A round is going: some target has not been reported yet. */
bool fourlw_busy(const struct fourlw *f);

/* Fills fds (at most max) with the sockets to poll now; returns how many. */
int fourlw_pollfds(struct fourlw *f, struct pollfd *fds, int max);
/* Milliseconds until something is due (a timeout, or an outcome to
 * report: 0); -1 when no round is going. */
int fourlw_timeout(const struct fourlw *f, long long now_mono_ms);
/* Handles the revents of the n fds (others than its own are ignored),
 * times out what is late, and reports each finished target through cb. */
void fourlw_run(struct fourlw *f, const struct pollfd *fds, int n, long long now_mono_ms,
                fourlw_cb cb, void *ctx);

/* ---- One exchange, for an asker with its own schedule (probe.c) ----------
 * Connect to a target's addresses in turn, send the word, read to EOF;
 * each step one non-blocking call made when poll says the socket is
 * ready. The round above is one of these per target. UI thread only. */

enum fourlw_phase { FOURLW_IDLE, FOURLW_CONNECTING, FOURLW_SENDING, FOURLW_READING, FOURLW_DONE };

struct fourlw_io {
    struct fourlw_target t;  /* copied */
    const char *word;        /* borrowed: 4 letters, alive until DONE */
    size_t max;
    long long deadline;      /* monotonic ms: the owner times it out */
    int cur;                 /* the address being tried */
    int fd;                  /* -1 when none is open */
    enum fourlw_phase phase;
    size_t sent;
    char *buf;               /* owned, kept between exchanges */
    size_t len, cap;
    bool ok, cut;            /* DONE: answered (cut at max), else why */
    char why[128];
};

/* An idle exchange with no socket and no buffer. */
void fourlw_io_init(struct fourlw_io *io);
/* Closes its socket and frees its buffer; idle again. */
void fourlw_io_free(struct fourlw_io *io);
/* Starts asking word of t (answers of at most max bytes); DONE at once,
 * not ok, when no address takes the connection. */
void fourlw_io_start(struct fourlw_io *io, const struct fourlw_target *t, const char *word, size_t max,
                     long long deadline);
/* Connecting, sending or reading: neither idle nor done. */
bool fourlw_io_active(const struct fourlw_io *io);
/* Fills *pfd with the socket to poll and true, or false when none. */
bool fourlw_io_pollfd(const struct fourlw_io *io, struct pollfd *pfd);
/* The next step, once poll has said the socket is ready. */
void fourlw_io_ready(struct fourlw_io *io);
/* Ends it: closed, DONE, not ok, with why. */
void fourlw_io_fail(struct fourlw_io *io, const char *why);

#endif
