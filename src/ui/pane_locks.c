/* The locks panel: each lock's holder first, then its waiters in queue
 * order, with owner session, how long each has held or waited, and the
 * first bytes of its data; a header per lock with the contention figures.
 * Busiest locks first (the monitor sorts them). */
#include "ui/draw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In the tree screen the panel is small: a lock shows its holders and this
 * many waiters, then how many more. */
#define COMPACT_WAITERS 3

/* One line of the panel: a lock's header, a contender, or "N more". */
struct line {
    const struct lock_view *v;
    long row;   /* -1 header, -2 "more" */
    size_t more;
};

/* The panel's lines; out (grown as needed, kept between frames) and the
 * count. Compact: only locks with contenders, a few waiters each. */
static size_t lines_of(const struct monitor *mo, bool compact, struct line **out, size_t *cap)
{
    size_t n = 0, need = 0;
    for (size_t i = 0; i < mo->nlocks; i++)
        need += 2 + mo->locks[i].nrows;
    if (need > *cap) {
        struct line *v = realloc(*out, need * sizeof *v);
        if (!v)
            return 0;
        *out = v;
        *cap = need;
    }
    for (size_t i = 0; i < mo->nlocks; i++) {
        const struct lock_view *v = &mo->locks[i];
        size_t shown = v->nrows;
        if (!v->shown || (compact && v->nrows == 0))
            continue;
        if (compact && shown > v->nholders + COMPACT_WAITERS)
            shown = v->nholders + COMPACT_WAITERS;
        (*out)[n++] = (struct line){ v, -1, 0 };
        for (size_t r = 0; r < shown; r++)
            (*out)[n++] = (struct line){ v, (long)r, 0 };
        if (shown < v->nrows)
            (*out)[n++] = (struct line){ v, -2, v->nrows - shown };
    }
    return n;
}

size_t pane_locks_compact_lines(const struct monitor *mo)
{
    size_t n = 0;
    for (size_t i = 0; i < mo->nlocks; i++) {
        const struct lock_view *v = &mo->locks[i];
        size_t shown = v->nrows;
        if (!v->shown || v->nrows == 0)
            continue;
        if (shown > v->nholders + COMPACT_WAITERS)
            shown = v->nholders + COMPACT_WAITERS;
        n += 1 + shown + (shown < v->nrows);
    }
    return n;
}

static void header_text(struct app *a, const struct lock_view *v, int64_t now, char *buf,
                        size_t len)
{
    char wait[40] = "", rate[40] = "", lease[64] = "";
    int64_t longest = lock_longest_wait(&a->mon, v, now);
    double r = lock_rate(v, now);
    if (longest >= 0) {
        char age[16];
        format_age(longest, age, sizeof age);
        snprintf(wait, sizeof wait, "  longest wait %s", age);
    }
    if (r >= 0)
        snprintf(rate, sizeof rate, "  %.1f acq/min", r);
    if (v->kind == LK_SEM_KAZOO || v->kind == LK_SEM_CURATOR) {
        if (v->max_leases >= 0)
            snprintf(lease, sizeof lease, "  %zu/%ld leases", v->nholders, v->max_leases);
        else
            snprintf(lease, sizeof lease, "  %zu leases", v->nholders);
    }
    snprintf(buf, len, "%s  %s%s  %s, %zu waiting (max %zu)%s%s", v->path,
             lock_kind_name(v->kind), lease, v->nholders ? "held" : "free", lock_waiting(v),
             v->waiting_max, rate, wait);
}

static void row_text(struct app *a, const struct lock_view *v, size_t i, int64_t now,
                     char *buf, size_t len, bool *stuck)
{
    const struct lock_row *r = &v->rows[i];
    const struct node *n = r->node;
    char seq[24], owner[24] = "?", age[16];
    bool upper;
    int64_t ms = lock_row_age(&a->mon, v, i, now, &upper);
    if (r->seq >= 0)
        snprintf(seq, sizeof seq, "%010lld", r->seq > 2147483647LL ? r->seq - 4294967296LL : r->seq);
    else
        snprintf(seq, sizeof seq, "lease");
    if (n->flags & NODE_HAS_STAT)
        snprintf(owner, sizeof owner, "0x%" PRIx64, (uint64_t)n->stat.ephemeral_owner);
    format_age(ms, age, sizeof age);
    *stuck = r->holds && ms >= 0 && ms >= a->mon.hold_warn_ms;
    snprintf(buf, len, " %-5s %-10s %-*s%-17s %s%-*s ", r->holds ? "holds" : "waits", seq,
             v->kind == LK_RW ? 6 : 0, v->kind == LK_RW ? lock_role_name(r->role) : "", owner,
             upper ? "<" : "", upper ? 6 : 7, age);
}

static void draw_line(struct app *a, const struct line *l, int y, struct rect r, int64_t now,
                      bool sel)
{
    char buf[768];
    int x = r.x;
    attr_t cur = theme_attr(THEME_SELECTION);
    if (sel)
        draw_fill(y, r.x, r.w, cur);
    if (l->row == -1) {
        header_text(a, l->v, now, buf, sizeof buf);
        draw_raw(y, x, r.w, theme_attr(THEME_DETAIL_PATH), buf, strlen(buf));
    } else if (l->row == -2) {
        snprintf(buf, sizeof buf, " %s %zu more waiting (L shows all)", draw_glyph(GLYPH_MORE),
                 l->more);
        draw_safe(y, x, r.w, theme_attr(THEME_TREE_COUNT), buf);
    } else {
        bool stuck;
        const struct node *n = l->v->rows[l->row].node;
        row_text(a, l->v, (size_t)l->row, now, buf, sizeof buf, &stuck);
        x += draw_safe(y, x, r.w, sel ? cur : theme_attr(stuck ? THEME_LOCK_STUCK
                                                   : l->v->rows[l->row].holds ? THEME_LOCK_HOLDER
                                                   : THEME_LOCK_WAITER), buf);
        if ((n->flags & NODE_HAS_DATA) && node_data(n) && node_data_len(n) > 0)
            draw_raw(y, x, r.x + r.w - x, sel ? cur : theme_attr(THEME_DETAIL_VALUE),
                     node_data(n), node_data_len(n) > 64 ? 64 : (size_t)node_data_len(n));
        else
            draw_raw(y, x, r.x + r.w - x, sel ? cur : theme_attr(THEME_TREE_COUNT), n->name,
                     strlen(n->name));
    }
}

static void locks_draw(struct app *a, struct rect r, bool focused)
{
    static struct line *lines;
    static size_t cap;
    bool compact = a->screen != SCREEN_LOCKS;
    size_t n = lines_of(&a->mon, compact, &lines, &cap), *top, *cursor;
    int64_t now = app_now_ms();
    char title[160];
    size_t nshown = 0, busy = 0;
    for (size_t i = 0; i < a->mon.nlocks; i++) {
        nshown += a->mon.locks[i].shown;
        busy += a->mon.locks[i].shown && a->mon.locks[i].nrows > 0;
    }
    snprintf(title, sizeof title, "Locks: %zu held or queued of %zu%s", busy, nshown,
             compact ? "  L: all" : "  j/k move  d: kick (delete its node)  1: tree");
    draw_title(r, focused, title);
    r.y++;
    r.h--;
    if (!compact && r.h > 1) {
        /* Which column is what: the last one is the data, or the name
         * while the data is not read. */
        draw_fill(r.y, r.x, r.w, theme_attr(THEME_DEFAULT));
        draw_safe(r.y, r.x, r.w, theme_attr(THEME_DETAIL_LABEL),
                  " state seq        owner             age     data (or name)");
        r.y++;
        r.h--;
    }
    top = &a->list_top[SCREEN_LOCKS];
    cursor = &a->list_cursor[SCREEN_LOCKS];
    if (!compact) {
        a->list_height = r.h;
        list_follow(top, cursor, n, r.h);
        /* d kicks the contender under the cursor: say which one it is. */
        app_set_list_path(a, n && lines[*cursor].row >= 0
                                 ? lines[*cursor].v->rows[lines[*cursor].row].node->path : NULL);
    }
    list_clamp(top, n, r.h);
    for (int y = 0; y < r.h; y++) {
        size_t i = (compact ? 0 : *top) + (size_t)y;
        draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
        if (i < n)
            draw_line(a, &lines[i], r.y + y, r, now, !compact && i == *cursor);
        else if (n == 0 && y == 0)
            draw_safe(r.y, r.x + 1, r.w - 1, theme_attr(THEME_TREE_COUNT),
                      nshown ? "every lock is free" :
                      "no locks seen yet: lock roots are nodes named locks, lock or "
                      "semaphores, and the config's locks:");
    }
}

const struct pane_ops pane_locks = { "locks", locks_draw };
