/* Probing every ensemble member with the `srvr` four-letter word, on
 * non-blocking sockets that the UI's poll loop drives: no thread, no
 * blocking call after probe_new, no busy wait.
 *
 * Each round (every interval_ms) opens one TCP connection per member,
 * sends "srvr", reads the answer to EOF (at most 64 KiB) and closes; a
 * probe not done within timeout_ms is down ("timed out"). Between rounds
 * no socket is open, and probe_timeout says how long the caller may sleep.
 *
 * The loop, on the UI thread (the only one that may call these):
 *
 *     n = probe_pollfds(p, fds, max);
 *     poll(fds, n, probe_timeout(p, mono_ms()));   (with its own fds too)
 *     probe_run(p, fds, n, mono_ms(), wall_ms(), log);
 *
 * Every finished probe goes through ensemble_observe, which updates the
 * member and adds events to the log. */
#ifndef ZKTUI_ZK_PROBE_H
#define ZKTUI_ZK_PROBE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/ensemble.h"
#include "model/events.h"

struct probe;

/* A prober of e's members. e is borrowed: it must outlive the prober and
 * keep its members (free the prober before ensemble_free/ensemble_init).
 * Resolves every host once, here (getaddrinfo: this may block at
 * start-up); a host that does not resolve is probed as down with the
 * resolver's reason. The first round is due at once. NULL with a sentence
 * in err when interval_ms or timeout_ms is below 1 or out of memory. */
struct probe *probe_new(struct ensemble *e, int interval_ms, int timeout_ms, char *err, size_t errlen);

/* Closes any socket still open and frees p (NULL is fine). */
void probe_free(struct probe *p);

/* Fills fds (at most max; give it room for e->n: a socket left out is not
 * polled and times out) with the sockets to poll now, each with its
 * events set; returns how many. 0 between rounds. */
int probe_pollfds(struct probe *p, struct pollfd *fds, int max);

/* Milliseconds from now_mono_ms (CLOCK_MONOTONIC, in ms) until the next
 * thing is due: the next round or an open probe's timeout; 0 when
 * something is due now. Never -1: there is always a next round. */
int probe_timeout(const struct probe *p, long long now_mono_ms);

/* Handles the revents of the n fds that probe_pollfds filled (in any
 * order; fds it did not fill are ignored), then times out what is late,
 * then starts a round when one is due. Results go through
 * ensemble_observe(e, i, result, wall_ms, log); log may be NULL. */
void probe_run(struct probe *p, const struct pollfd *fds, int n, long long now_mono_ms, long long wall_ms,
               struct event_log *log);

/* Rounds started so far (for tests and the status bar). */
unsigned long probe_rounds(const struct probe *p);

/* The addresses member i resolved to in probe_new (NULL: it did not, or
 * no such member); owned by p. Lets another asker reach the members
 * without resolving their names again on the UI thread. */
struct addrinfo;
const struct addrinfo *probe_addrinfo(const struct probe *p, size_t i);

#endif
