/* The event log: a ring buffer of timestamped lines (session changes,
 * members going online and offline, lock holders changing, errors). The
 * oldest are dropped when it is full. UI thread only. */
#ifndef ZKTUI_MODEL_EVENTS_H
#define ZKTUI_MODEL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum event_kind { EV_SESSION, EV_ONLINE, EV_OFFLINE, EV_LOCK, EV_ENSEMBLE, EV_ERROR, EV_CHANGE };

struct event {
    int64_t time_ms;      /* wall clock, ms since the epoch */
    enum event_kind kind;
    char *text;           /* owned; display-unsafe bytes are the reader's job */
};

struct event_log {
    struct event *ring;
    size_t cap, start, n;
    uint64_t total;       /* ever added, so readers can tell what is new */
};

/* An empty log holding at most cap events (cap >= 1); false when out of
 * memory. */
bool events_init(struct event_log *l, size_t cap);
void events_free(struct event_log *l);

/* Adds a copy of text; when full, the oldest event goes. */
void events_add(struct event_log *l, int64_t time_ms, enum event_kind kind, const char *text);

/* The i-th event, oldest first (i < l->n). */
const struct event *events_get(const struct event_log *l, size_t i);

const char *event_kind_name(enum event_kind k); /* "session", "online", ... */

#endif
