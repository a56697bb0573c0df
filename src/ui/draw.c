#include "ui/draw.h"

#include <langinfo.h>
#include <string.h>
#include <time.h>

#include "model/datafmt.h"

int draw_safe(int y, int x, int maxw, attr_t attr, const char *s)
{
    size_t n;
    if (maxw <= 0)
        return 0;
    n = text_fit(s, maxw);
    attrset(attr);
    if (s[n] && maxw > 1) {
        /* Cut short: say so with a last "…" rather than hide it. */
        n = text_fit(s, maxw - 1);
        mvaddnstr(y, x, s, (int)n);
        addstr(draw_glyph(GLYPH_MORE));
    } else {
        mvaddnstr(y, x, s, (int)n);
    }
    /* Text ending in the last column leaves the cursor on the next line:
     * then it took all it was given. */
    if (getcury(stdscr) != y || getcurx(stdscr) < x)
        return maxw;
    return getcurx(stdscr) - x;
}

int draw_raw(int y, int x, int maxw, attr_t attr, const char *raw, size_t len)
{
    struct strbuf b = { 0 };
    int used;
    text_sanitize(raw, len, &b);
    used = draw_safe(y, x, maxw, attr, sb_str(&b));
    sb_free(&b);
    return used;
}

void draw_fill(int y, int x, int w, attr_t attr)
{
    if (w <= 0)
        return;
    attrset(attr);
    mvhline(y, x, ' ', w);
}

void format_time_ms(long long ms, char *buf, size_t len)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(buf, len, "%lld", ms);
}

void draw_title(struct rect r, bool focused, const char *title)
{
    attr_t attr = theme_attr(focused ? THEME_PANE_TITLE_FOCUSED : THEME_PANE_TITLE);
    draw_fill(r.y, r.x, r.w, attr);
    draw_safe(r.y, r.x + 1, r.w - 1, attr, title);
}

const char *draw_glyph(enum glyph g)
{
    static const char *const utf8[] = { "\xe2\x94\x82", "\xc2\xb7", "\xe2\x96\xbe", "\xe2\x96\xb8",
                                        "\xe2\x80\xa6" };
    static const char *const ascii[] = { "|", ".", "-", "+", ">" };
    static int is_utf8 = -1;
    if (is_utf8 < 0)
        is_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    return (is_utf8 ? utf8 : ascii)[g];
}

void list_follow(size_t *top, size_t *cursor, size_t n, int h)
{
    size_t rows = h > 0 ? (size_t)h : 1;
    if (*cursor >= n)
        *cursor = n ? n - 1 : 0;
    if (*cursor < *top)
        *top = *cursor;
    if (*cursor >= *top + rows)
        *top = *cursor - rows + 1;
}

void list_clamp(size_t *top, size_t n, int h)
{
    size_t rows = h > 0 ? (size_t)h : 0;
    if (n <= rows)
        *top = 0;
    else if (*top > n - rows)
        *top = n - rows;
}

struct rect list_open(struct app *a, enum app_screen s, struct rect r, bool focused, const char *title,
                      size_t n)
{
    draw_title(r, focused, title);
    r.y++;
    r.h--;
    a->list_height = r.h;
    list_follow(&a->list_top[s], &a->list_cursor[s], n, r.h);
    list_clamp(&a->list_top[s], n, r.h);
    app_set_list_path(a, NULL);
    return r;
}
