/* The results of :find (F): one line each, its path, and for a match in
 * the data the line that matched; they come in while the search runs.
 * Enter goes to the one under the cursor in the tree. */
#include "ui/draw.h"

#include <stdio.h>
#include <string.h>

static void find_draw(struct app *a, struct rect r, bool focused)
{
    size_t n = app_find_count(a), *top = &a->list_top[SCREEN_FIND];
    size_t *cursor = &a->list_cursor[SCREEN_FIND];
    char title[900];
    app_find_title(a, title, sizeof title);
    r = list_open(a, SCREEN_FIND, r, focused, title, n);
    for (int y = 0; y < r.h; y++) {
        size_t i = *top + (size_t)y;
        const char *line, *path = app_find_path(a, i, &line);
        bool sel = i == *cursor;
        attr_t at = theme_attr(sel ? THEME_SELECTION : THEME_DEFAULT);
        int x = r.x + 1;
        draw_fill(r.y + y, r.x, r.w, at);
        if (!path) {
            if (i == 0 && n == 0)
                draw_safe(r.y, r.x + 1, r.w - 1, theme_attr(THEME_TREE_COUNT), "no results yet");
            continue;
        }
        if (sel)
            app_set_list_path(a, path); /* y copies it */
        x += draw_raw(r.y + y, x, r.x + r.w - x, sel ? at : theme_attr(THEME_DETAIL_PATH), path,
                      strlen(path));
        if (line && x + 4 < r.x + r.w) {
            x += draw_safe(r.y + y, x, 3, at, "   ");
            draw_raw(r.y + y, x, r.x + r.w - x, sel ? at : theme_attr(THEME_TREE_COUNT), line,
                     strlen(line));
        }
    }
}

const struct pane_ops pane_find = { "find", find_draw };
