/* The sessions view: every ephemeral node zktui has read, grouped by the
 * session that owns it (most nodes first, then the oldest); per session
 * what `cons` says of it (client address, when it connected, its last
 * operation, queued requests, timeout), then its nodes with their age and
 * role. d on a session deletes all of its nodes, on a node that node. */
#include "ui/draw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"
#include "ui/app_sessions.h"

/* A session's heading, and the column titles: with an IPv4 client and,
 * in an ensemble, the server it is on, it fits in 100 columns. */
#define COLUMNS " %-18s %5s %-7s %-21s %-9s %-7s %6s"

/* What cons says overall, on the line under the title. */
static void cons_line(const struct app *a, const struct sessions_ui *s, char *buf, size_t len,
                      bool *bad)
{
    size_t answered = 0, sessions = 0, asking = 0;
    const struct cons_server *worst = NULL;
    *bad = false;
    for (size_t i = 0; i < s->nsrv; i++) {
        const struct cons_server *v = &s->srv[i];
        if (v->state == CONS_ANSWERED) {
            answered++;
            sessions += v->ans.n;
        } else if (v->state == CONS_ASKING)
            asking++;
        else if (!worst || (v->state == CONS_REFUSED && worst->state != CONS_REFUSED))
            worst = v;
    }
    if (worst && worst->state == CONS_REFUSED) {
        *bad = true;
        snprintf(buf, len, "cons is not allowed on %s (add it to 4lw.commands.whitelist): "
                           "client addresses of its sessions unknown%s", worst->name,
                 answered ? "; the others from the servers that allow it" : "");
    } else if (worst) {
        *bad = true;
        snprintf(buf, len, "cons of %s: %s: client addresses of its sessions unknown",
                 worst->name, worst->why);
    } else if (s->nsrv == 0 && s->rounds > 0)
        snprintf(buf, len, "no server to ask cons of until connected: client addresses unknown");
    else if (s->nsrv == 0 || asking == s->nsrv)
        snprintf(buf, len, "asking cons of %s...", s->nsrv == 1 ? s->srv[0].name : "every server");
    else
        snprintf(buf, len, "client addresses from cons: %zu session%s on %zu server%s, asked "
                           "every %.1fs while shown", sessions, sessions == 1 ? "" : "s",
                 answered, answered == 1 ? "" : "s", a->probe_interval_ms / 1000.0);
}

/* Where the session's client is: cons's address, "?" (cons not answered
 * by every server), or "not in cons". */
static const struct cons_conn *client_of(const struct sessions_ui *s, int64_t sid,
                                         const char **where, const char **shown)
{
    size_t server = 0;
    const struct cons_conn *c = cons_find(s->srv, s->nsrv, sid, &server);
    bool all = s->nsrv > 0;
    *where = NULL;
    if (c) {
        *shown = c->client;
        *where = s->srv[server].name;
        return c;
    }
    for (size_t i = 0; i < s->nsrv; i++)
        all = all && s->srv[i].state == CONS_ANSWERED;
    *shown = all ? "not in cons" : "?";
    return NULL;
}

static void draw_heading(struct app *a, const struct sess_group *g, int y, struct rect r,
                         int64_t server_now, bool sel)
{
    const struct sessions_ui *s = a->sess;
    const char *where, *shown;
    const struct cons_conn *c = client_of(s, g->sid, &where, &shown);
    char sid[24], oldest[16], conn[16] = "", queued[24] = "", lop[8] = "";
    char buf[512], nodes[16];
    attr_t at = theme_attr(sel ? THEME_SELECTION : THEME_DETAIL_PATH);
    snprintf(sid, sizeof sid, "0x%" PRIx64, (uint64_t)g->sid);
    snprintf(nodes, sizeof nodes, "%zu", g->n);
    format_age(server_now - g->oldest, oldest, sizeof oldest);
    if (c) {
        if (c->est > 0)
            format_age(server_now - c->est, conn, sizeof conn);
        snprintf(queued, sizeof queued, "%lld", c->queued);
        snprintf(lop, sizeof lop, "%s", c->lop);
    }
    snprintf(buf, sizeof buf, COLUMNS, sid, nodes, oldest, shown, conn, lop, queued);
    if (g->own)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  (zktui)");
    if (where && s->nsrv > 1)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "  on %s", where);
    if (sel)
        draw_fill(y, r.x, r.w, at);
    draw_raw(y, r.x, r.w, at, buf, strlen(buf));
}

static void draw_node(const struct sess_entry *e, int y, struct rect r, int64_t server_now,
                      int pathw, bool sel)
{
    char age[16], role[600];
    const struct node *n = e->node;
    attr_t cur = theme_attr(THEME_SELECTION);
    int x = r.x + 4 + pathw + 2; /* the age column; the role after it */
    if (sel)
        draw_fill(y, r.x, r.w, cur);
    draw_raw(y, r.x + 4, pathw, sel ? cur : theme_attr(THEME_TREE_EPHEMERAL), n->path,
             strlen(n->path));
    format_age(server_now - n->stat.ctime, age, sizeof age);
    draw_safe(y, x, r.x + r.w - x, sel ? cur : theme_attr(THEME_DETAIL_VALUE), age);
    x += 9;
    sess_entry_role(e, role, sizeof role);
    if (role[0] && x < r.x + r.w)
        draw_raw(y, x, r.x + r.w - x,
                 sel ? cur : theme_attr(e->lock && e->holds ? THEME_LOCK_HOLDER : THEME_DETAIL_VALUE),
                 role, strlen(role));
}

/* The path column: as wide as the longest path, leaving room for the age
 * and the role. */
static int path_width(const struct sess_list *l, int w)
{
    int most = w - 4 - 2 - 9 - 24, pw = 16;
    for (size_t i = 0; i < l->ne; i++) {
        int len = (int)strlen(l->e[i].node->path);
        if (len > pw)
            pw = len;
    }
    if (most < 16)
        most = 16;
    return pw > most ? most : pw;
}

static void sessions_draw(struct app *a, struct rect r, bool focused)
{
    struct sessions_ui *s = app_sessions(a);
    size_t *top = &a->list_top[SCREEN_SESSIONS], *cursor = &a->list_cursor[SCREEN_SESSIONS];
    size_t lines = 0, line = 0;
    int64_t server_now = monitor_server_now(&a->mon, app_now_ms());
    char buf[600];
    bool bad;
    int pathw;
    if (!s || !app_sessions_rebuild(a)) {
        draw_title(r, focused, "Sessions: out of memory");
        return;
    }
    for (size_t i = 0; i < s->list.n; i++)
        lines += 1 + s->list.v[i].n;
    snprintf(buf, sizeof buf, "Sessions: %zu owning %zu ephemeral%s of the %zu nodes zktui has "
             "read, most first  d: delete  1: tree", s->list.n, s->list.ne,
             s->list.ne == 1 ? "" : "s", s->list.read);
    draw_title(r, focused, buf);
    draw_fill(r.y + 1, r.x, r.w, theme_attr(THEME_DEFAULT));
    cons_line(a, s, buf, sizeof buf, &bad);
    draw_safe(r.y + 1, r.x + 1, r.w - 1, theme_attr(bad ? THEME_ERROR : THEME_TREE_COUNT), buf);
    draw_fill(r.y + 2, r.x, r.w, theme_attr(THEME_DEFAULT));
    snprintf(buf, sizeof buf, COLUMNS, "session", "nodes", "oldest", "client", "connected",
             "last op", "queued");
    draw_safe(r.y + 2, r.x, r.w, theme_attr(THEME_DETAIL_LABEL), buf);
    r.y += 3;
    r.h -= 3;
    a->list_height = r.h;
    list_follow(top, cursor, lines, r.h);
    list_clamp(top, lines, r.h);
    app_set_list_path(a, NULL);
    pathw = path_width(&s->list, r.w);
    for (int y = 0; y < r.h; y++)
        draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
    if (lines == 0 && r.h > 0)
        draw_safe(r.y, r.x + 1, r.w - 1, theme_attr(THEME_TREE_COUNT),
                  "no ephemeral node among the nodes zktui has read: open the tree (1) where "
                  "they live, or look at the locks (2) and registries (3)");
    for (size_t i = 0; i < s->list.n; i++) {
        const struct sess_group *g = &s->list.v[i];
        for (size_t j = 0; j <= g->n; j++, line++) {
            int y = (int)(line - *top);
            bool sel = line == *cursor;
            if (sel && j > 0)
                app_set_list_path(a, g->e[j - 1].node->path);
            if (line < *top || y >= r.h)
                continue;
            if (j == 0)
                draw_heading(a, g, r.y + y, r, server_now, sel);
            else
                draw_node(&g->e[j - 1], r.y + y, r, server_now, pathw, sel);
        }
    }
}

const struct pane_ops pane_sessions = { "sessions", sessions_draw };
