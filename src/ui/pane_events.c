/* The event log: session changes, members going online and offline, lock
 * holders changing, ensemble changes and errors, oldest at the top. In the
 * tree screen, a strip with the latest few; alone, the whole log, which
 * follows the newest until scrolled up. */
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static enum theme_elem kind_elem(enum event_kind k)
{
    switch (k) {
    case EV_ONLINE: return THEME_EVENT_ONLINE;
    case EV_OFFLINE: return THEME_EVENT_OFFLINE;
    case EV_LOCK: return THEME_EVENT_LOCK;
    case EV_ERROR: return THEME_ERROR;
    case EV_SESSION:
    case EV_CHANGE:
    case EV_ENSEMBLE: break;
    }
    return THEME_DETAIL_VALUE;
}

static void draw_event(const struct event *e, int y, struct rect r)
{
    char when[32];
    time_t t = (time_t)(e->time_ms / 1000);
    struct tm tm;
    int x = r.x;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    snprintf(when + strlen(when), sizeof when - strlen(when), ".%03d ", (int)(e->time_ms % 1000));
    draw_fill(y, r.x, r.w, theme_attr(THEME_DEFAULT));
    x += draw_safe(y, x, r.w, theme_attr(THEME_EVENT_TIME), when);
    draw_raw(y, x, r.x + r.w - x, theme_attr(kind_elem(e->kind)), e->text, strlen(e->text));
}

static void events_draw(struct app *a, struct rect r, bool focused)
{
    bool alone = a->screen == SCREEN_EVENTS;
    size_t n = a->log.n, *top = &a->list_top[SCREEN_EVENTS];
    char title[160];
    if (alone)
        snprintf(title, sizeof title, "Events (%zu of %llu)  j/k scroll  End: follow  W: save  1: tree",
                 n, (unsigned long long)a->log.total);
    else
        snprintf(title, sizeof title, "Events  O: all  W: save");
    draw_title(r, focused, title);
    r.y++;
    r.h--;
    if (alone) {
        a->list_height = r.h;
        if (a->log_follow)
            *top = n; /* clamped to the last page below */
        list_clamp(top, n, r.h);
    }
    for (int y = 0; y < r.h; y++) {
        /* The strip shows the newest at its bottom. */
        size_t first = alone ? *top : (n > (size_t)r.h ? n - (size_t)r.h : 0);
        size_t i = first + (size_t)y;
        if (i < n)
            draw_event(events_get(&a->log, i), r.y + y, r);
        else
            draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
    }
}

const struct pane_ops pane_events = { "events", events_draw };
