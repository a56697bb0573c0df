/* Service registries: each registry's members with owner session, uptime
 * (from ctime on the server's clock) and the first bytes of their data. */
#include "ui/draw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/path.h"

static size_t count_lines(const struct monitor *mo)
{
    size_t n = 0;
    for (size_t i = 0; i < mo->nregs; i++)
        n += 1 + mo->regs[i].n;
    return n;
}

static void draw_member(struct app *a, const struct registry *g, const struct reg_member *m, int y,
                        struct rect r, int64_t now)
{
    char buf[256], owner[24] = "?", up[16] = "?";
    int x = r.x;
    if (m->known && m->owner)
        snprintf(owner, sizeof owner, "0x%" PRIx64, (uint64_t)m->owner);
    else if (m->known)
        snprintf(owner, sizeof owner, "persistent");
    if (m->known && m->ctime)
        format_age(monitor_server_now(&a->mon, now) - m->ctime, up, sizeof up);
    (void)g;
    x += draw_safe(y, x, r.w, theme_attr(THEME_EVENT_ONLINE), "  ");
    x += draw_raw(y, x, r.w / 3, theme_attr(THEME_EVENT_ONLINE), m->name, strlen(m->name));
    snprintf(buf, sizeof buf, "  %-18s up %-8s ", owner, up);
    x += draw_safe(y, x, r.x + r.w - x, theme_attr(THEME_DETAIL_VALUE), buf);
    if (m->data)
        draw_safe(y, x, r.x + r.w - x, theme_attr(THEME_TREE_COUNT), m->data);
}

static void services_draw(struct app *a, struct rect r, bool focused)
{
    size_t n = count_lines(&a->mon), *top = &a->list_top[SCREEN_SERVICES], line = 0;
    size_t *cursor = &a->list_cursor[SCREEN_SERVICES];
    int64_t now = app_now_ms();
    r = list_open(a, SCREEN_SERVICES, r, focused,
                  "Service registries  j/k move  d: kick (delete its node)  1: tree", n);
    for (int y = 0; y < r.h; y++)
        draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
    if (n == 0)
        draw_safe(r.y, r.x + 1, r.w - 1, theme_attr(THEME_TREE_COUNT),
                  "no registry seen yet: /servers, nodes named services, and the config's services:");
    for (size_t i = 0; i < a->mon.nregs; i++) {
        const struct registry *g = &a->mon.regs[i];
        for (size_t j = 0; j <= g->n; j++, line++) {
            int y = (int)(line - *top);
            if (line == *cursor && j > 0) {
                char *p = path_join(g->path, g->m[j - 1].name);
                app_set_list_path(a, p); /* d kicks this member */
                free(p);
            }
            if (line < *top || y >= r.h)
                continue;
            if (line == *cursor)
                draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_SELECTION));
            if (j == 0) {
                char head[600];
                snprintf(head, sizeof head, "%s  %zu member%s", g->path, g->n, g->n == 1 ? "" : "s");
                draw_raw(r.y + y, r.x, r.w, theme_attr(THEME_DETAIL_PATH), head, strlen(head));
            } else
                draw_member(a, g, &g->m[j - 1], r.y + y, r, now);
        }
    }
}

const struct pane_ops pane_services = { "services", services_draw };
