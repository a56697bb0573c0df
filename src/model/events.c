/* See events.h. */
#include "events.h"

#include <stdlib.h>
#include <string.h>

bool events_init(struct event_log *l, size_t cap)
{
    memset(l, 0, sizeof *l);
    if (cap == 0)
        cap = 1;
    l->ring = calloc(cap, sizeof *l->ring);
    if (!l->ring)
        return false;
    l->cap = cap;
    return true;
}

void events_free(struct event_log *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ring[(l->start + i) % l->cap].text);
    free(l->ring);
    memset(l, 0, sizeof *l);
}

void events_add(struct event_log *l, int64_t time_ms, enum event_kind kind, const char *text)
{
    char *copy = strdup(text);
    struct event *e;

    if (!copy || !l->ring) {
        free(copy);
        return; /* out of memory: the event is lost, the log stays sound */
    }
    if (l->n == l->cap) {
        free(l->ring[l->start].text);
        l->start = (l->start + 1) % l->cap;
        l->n--;
    }
    e = &l->ring[(l->start + l->n) % l->cap];
    e->time_ms = time_ms;
    e->kind = kind;
    e->text = copy;
    l->n++;
    l->total++;
}

const struct event *events_get(const struct event_log *l, size_t i)
{
    return i < l->n ? &l->ring[(l->start + i) % l->cap] : NULL;
}

const char *event_kind_name(enum event_kind k)
{
    switch (k) {
    case EV_SESSION:
        return "session";
    case EV_ONLINE:
        return "online";
    case EV_OFFLINE:
        return "offline";
    case EV_LOCK:
        return "lock";
    case EV_ENSEMBLE:
        return "ensemble";
    case EV_ERROR:
        return "error";
    case EV_CHANGE:
        return "change";
    }
    return "?";
}
