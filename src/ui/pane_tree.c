/* The tree pane: one row per visible node, only the rows on screen drawn. */
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>

#include "model/datafmt.h"
#include "model/path.h"

/* Keeps the cursor on screen, scrolling as little as possible. */
static void scroll_to_cursor(struct app *a, int h)
{
    if (h <= 0)
        return;
    if (a->cursor < a->tree_top)
        a->tree_top = a->cursor;
    if (a->cursor >= a->tree_top + (size_t)h)
        a->tree_top = a->cursor - (size_t)h + 1;
    if (a->rows.n <= (size_t)h)
        a->tree_top = 0;
    else if (a->tree_top > a->rows.n - (size_t)h)
        a->tree_top = a->rows.n - (size_t)h;
}

static const char *twisty(const struct node *n)
{
    bool leaf = ((n->flags & NODE_KIDS_LOADED) && n->nkids == 0) ||
                (!(n->flags & NODE_KIDS_LOADED) && (n->flags & NODE_HAS_STAT) &&
                 n->stat.num_children == 0);
    if (leaf)
        return draw_glyph(GLYPH_LEAF);
    return draw_glyph(n->flags & NODE_EXPANDED ? GLYPH_OPEN : GLYPH_CLOSED);
}

/* The right-hand column: markers and the child count. */
static void row_tail(const struct node *n, char *buf, size_t len)
{
    char count[16];
    bool eph = (n->flags & NODE_HAS_STAT) && n->stat.ephemeral_owner != 0;
    bool seq = n->parent && name_seq_suffix(n->name, NULL);
    if (n->flags & NODE_NOAUTH)
        snprintf(count, sizeof count, "no access");
    else if (n->flags & NODE_HAS_STAT)
        snprintf(count, sizeof count, "%d", n->stat.num_children);
    else if (n->flags & NODE_KIDS_LOADED)
        snprintf(count, sizeof count, "%u", n->nkids);
    else
        snprintf(count, sizeof count, "?");
    snprintf(buf, len, "%s%s %6s", eph ? "E" : " ", seq ? "S" : " ", count);
}

static void draw_row(struct app *a, size_t i, int y, struct rect r, bool focused)
{
    struct node *n = a->rows.v[i];
    bool sel = i == a->cursor;
    bool eph = (n->flags & NODE_HAS_STAT) && n->stat.ephemeral_owner != 0;
    attr_t base = theme_attr(eph ? THEME_TREE_EPHEMERAL
                             : (n->nkids || (n->flags & NODE_HAS_STAT && n->stat.num_children))
                                 ? THEME_TREE_DIR : THEME_TREE_ROW);
    attr_t selattr = theme_attr(focused ? THEME_SELECTION : THEME_SELECTION_UNFOCUSED);
    attr_t attr = sel ? selattr : base;
    char tail[32];
    int indent = 2 * a->rows.depth[i];
    int x = r.x, tailw, namew;

    row_tail(n, tail, sizeof tail);
    tailw = (int)strlen(tail);
    draw_fill(y, r.x, r.w, sel ? selattr : theme_attr(THEME_DEFAULT));
    if (indent > r.w / 2)
        indent = r.w / 2; /* deep trees: keep the names readable */
    x += indent;
    x += draw_safe(y, x, r.x + r.w - x, sel ? selattr : theme_attr(THEME_TREE_MARKER), twisty(n));
    x += draw_safe(y, x, 1, attr, " ");
    namew = r.x + r.w - x - tailw - 1;
    if (n->parent && a->filter[0]) {
        size_t off = 0, len = strlen(n->name), flen = strlen(a->filter);
        if (!app_filter_match(a, n->name, &off)) {
            draw_raw(y, x, namew, sel ? selattr : theme_attr(THEME_TREE_DIMMED), n->name, len);
        } else {
            /* The part that matches, marked. */
            int used = draw_raw(y, x, namew, attr, n->name, off);
            used += draw_raw(y, x + used, namew - used, theme_attr(THEME_TREE_MATCH),
                             n->name + off, flen);
            draw_raw(y, x + used, namew - used, attr, n->name + off + flen, len - off - flen);
        }
    } else if (n->parent)
        draw_raw(y, x, namew, attr, n->name, strlen(n->name));
    else
        draw_safe(y, x, namew, attr, "/");
    if (r.w > tailw + 4)
        draw_safe(y, r.x + r.w - tailw, tailw, sel ? selattr : theme_attr(THEME_TREE_COUNT), tail);
}

static void tree_draw(struct app *a, struct rect r, bool focused)
{
    if (a->filter[0] || a->prompt.kind == PROMPT_FILTER) {
        char title[700];
        struct strbuf f = { 0 };
        text_sanitize(a->filter, strlen(a->filter), &f);
        if (a->filter_hide)
            snprintf(title, sizeof title, "/%s  %zu hidden  /: change  Esc: clear", sb_str(&f),
                     a->filter_hidden);
        else
            snprintf(title, sizeof title, "/%s  the rest dimmed  /: change  Esc: clear",
                     sb_str(&f));
        sb_free(&f);
        draw_title(r, focused, title);
        r.y++;
        r.h--;
    }
    a->tree_height = r.h;
    a->tree_y0 = r.y;
    a->tree_x1 = r.x + r.w;
    scroll_to_cursor(a, r.h);
    for (int y = 0; y < r.h; y++) {
        size_t i = a->tree_top + (size_t)y;
        if (i < a->rows.n)
            draw_row(a, i, r.y + y, r, focused);
        else
            draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
    }
}

const struct pane_ops pane_tree = { "tree", tree_draw };
