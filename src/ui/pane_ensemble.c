/* The ensemble: each member of the connect string as its last `srvr`
 * answer says (mode, zxid, latency, connections, outstanding requests,
 * znodes), or why it does not answer. */
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>

static enum theme_elem state_elem(const struct member *m)
{
    switch (m->state) {
    case MEMBER_ONLINE: return THEME_EVENT_ONLINE;
    case MEMBER_OFFLINE: return THEME_EVENT_OFFLINE;
    case MEMBER_NO_4LW: return THEME_ERROR;
    case MEMBER_UNKNOWN: break;
    }
    return THEME_TREE_COUNT;
}

static void draw_member(const struct member *m, int y, struct rect r, long long now, int namew,
                        bool off)
{
    char buf[512], since[16];
    int x = r.x;
    format_age(m->since_ms ? now - m->since_ms : -1, since, sizeof since);
    draw_safe(y, x + 1, namew, theme_attr(THEME_DETAIL_PATH), m->name);
    x += namew + 2;
    snprintf(buf, sizeof buf, "%-8s ", member_state_name(m->state));
    x += draw_safe(y, x, r.x + r.w - x, theme_attr(state_elem(m)), buf);
    if (m->state == MEMBER_ONLINE) {
        const struct srvr_info *i = &m->info;
        char lat[48];
        snprintf(lat, sizeof lat, "%ld/%.1f/%ld", i->lat_min, i->lat_avg, i->lat_max);
        snprintf(buf, sizeof buf, "%-10s 0x%-11llx %-14s %5lld %5lld %7lld  %s", zk_mode_name(i->mode),
                 (unsigned long long)i->zxid, lat, i->connections, i->outstanding,
                 i->node_count, since);
    } else if (m->state == MEMBER_UNKNOWN) {
        snprintf(buf, sizeof buf, off ? "not asked (probe_interval: off)" : "asking...");
    } else {
        char seen[16];
        format_age(m->last_ok_ms ? now - m->last_ok_ms : -1, seen, sizeof seen);
        snprintf(buf, sizeof buf, "%s  (for %s%s%s)", m->why, since,
                 m->last_ok_ms ? ", last answer " : "", m->last_ok_ms ? seen : "");
        if (m->last_ok_ms)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " ago");
    }
    draw_raw(y, x, r.x + r.w - x, theme_attr(THEME_DETAIL_VALUE), buf, strlen(buf));
}

static void ensemble_draw(struct app *a, struct rect r, bool focused)
{
    char title[160];
    size_t *top = &a->list_top[SCREEN_ENSEMBLE];
    long long now = app_now_ms();
    int online = 0, namew = 22;
    for (size_t i = 0; i < a->ens.n; i++)
        online += a->ens.v[i].state == MEMBER_ONLINE;
    if (a->probes_off)
        snprintf(title, sizeof title, "Ensemble  %zu member%s, not asked (probe_interval: off)  "
                 "1: tree", a->ens.n, a->ens.n == 1 ? "" : "s");
    else
        snprintf(title, sizeof title, "Ensemble  %d of %zu answering, asked every %.1fs  1: tree",
                 online, a->ens.n, a->probe_interval_ms / 1000.0);
    draw_title(r, focused, title);
    draw_fill(r.y + 1, r.x, r.w, theme_attr(THEME_DEFAULT));
    /* The name column as wide as the longest name, within reason. */
    for (size_t i = 0; i < a->ens.n; i++) {
        int len = (int)strlen(a->ens.v[i].name);
        if (len > namew)
            namew = len > 40 ? 40 : len;
    }
    snprintf(title, sizeof title, " %-*s state    mode       zxid          lat min/avg/max "
             "conns  outst  znodes  since", namew, "member");
    draw_safe(r.y + 1, r.x, r.w, theme_attr(THEME_DETAIL_LABEL), title);
    r.y += 2;
    r.h -= 2;
    a->list_height = r.h;
    list_clamp(top, a->ens.n, r.h);
    for (int y = 0; y < r.h; y++) {
        size_t i = *top + (size_t)y;
        draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
        if (i < a->ens.n)
            draw_member(&a->ens.v[i], r.y + y, r, now, namew, a->probes_off);
    }
    if (!a->probe && !a->probes_off && r.h > 0)
        draw_safe(r.y, r.x + 1, r.w - 1, theme_attr(THEME_ERROR),
                  "probing is off: see the event log (O) for why");
}

const struct pane_ops pane_ensemble = { "ensemble", ensemble_draw };
