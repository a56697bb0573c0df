/* The status bar: connection state, server, session, watches, last error. */
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>

static enum theme_elem state_elem(enum conn_state s)
{
    switch (s) {
    case CONN_CONNECTED:
    case CONN_READONLY: return THEME_STATUS_CONNECTED;
    case CONN_RECONNECTING: return THEME_STATUS_RECONNECTING;
    case CONN_EXPIRED:
    case CONN_CLOSED: return THEME_STATUS_EXPIRED;
    case CONN_AUTH_FAILED: return THEME_STATUS_AUTH_FAILED;
    default: return THEME_STATUS_CONNECTING;
    }
}

static void status_draw(struct app *a, struct rect r, bool focused)
{
    char buf[512];
    int x = r.x;
    attr_t bar = theme_attr(THEME_STATUS_BAR);
    (void)focused;
    draw_fill(r.y, r.x, r.w, bar);
    if (a->state == CONN_CONNECTING)
        snprintf(buf, sizeof buf, " connecting to %s ", zk_hosts(a->zk));
    else
        snprintf(buf, sizeof buf, " %s%s ", conn_state_name(a->state), a->stale ? " (stale)" : "");
    x += draw_safe(r.y, x, r.x + r.w - x, theme_attr(state_elem(a->state)), buf);
    if (a->read_only)
        x += draw_safe(r.y, x, r.x + r.w - x, theme_attr(THEME_STATUS_ERROR), " READ-ONLY ");
    /* A bulk walk's progress, while one runs. */
    if (app_bulk_progress(a, buf, sizeof buf)) {
        x += draw_safe(r.y, x, r.x + r.w - x, bar, " ");
        x += draw_safe(r.y, x, r.x + r.w - x, theme_attr(THEME_STATUS_BAR), buf);
        x += draw_safe(r.y, x, r.x + r.w - x, bar, " ");
    }
    /* A message comes before the session figures: it is what is new. */
    if (a->error[0] || a->info[0]) {
        struct strbuf e = { 0 };
        const char *text = a->error[0] ? a->error : a->info;
        text_sanitize(text, strlen(text), &e);
        x += draw_safe(r.y, x, r.x + r.w - x, bar, " ");
        x += draw_safe(r.y, x, r.x + r.w - x,
                       theme_attr(a->error[0] ? THEME_STATUS_ERROR : THEME_STATUS_BAR), sb_str(&e));
        x += draw_safe(r.y, x, r.x + r.w - x, bar, " ");
        sb_free(&e);
    }
    if (a->ever_connected) {
        char who[256];
        zk_auth_shown(a->zk, who, sizeof who);
        snprintf(buf, sizeof buf, " %s  session 0x%llx%s%s ", a->server,
                 (unsigned long long)a->session_id, who[0] ? "  as " : "", who);
        x += draw_safe(r.y, x, r.x + r.w - x, bar, buf);
    }
    /* What a reconnection would re-send; past the budget, in warning. */
    {
        char n[32];
        size_t wire = app_watch_wire(a);
        bool over = wire > a->watch_budget;
        app_count_text(a->store->watches, n, sizeof n);
        if (over)
            snprintf(buf, sizeof buf, " watches %s (%zu KB, over %zu KB) ", n,
                     (wire + 1023) / 1024, a->watch_budget / 1024);
        else
            snprintf(buf, sizeof buf, " watches %s (%zu KB) ", n, (wire + 1023) / 1024);
        draw_safe(r.y, x, r.x + r.w - x,
                  theme_attr(over ? THEME_STATUS_ERROR : THEME_STATUS_WATCHES), buf);
    }
}

const struct pane_ops pane_status = { "status", status_draw };
