/* Drawing helpers shared by the panes. UI thread only; curses initialised. */
#ifndef ZKTUI_UI_DRAW_H
#define ZKTUI_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "ui/app.h"
#include "ui/theme.h"

struct rect {
    int y, x, h, w;
};

/* Draws raw (untrusted) bytes at y,x, escaped, in at most maxw columns;
 * returns the columns used. */
int draw_raw(int y, int x, int maxw, attr_t attr, const char *raw, size_t len);

/* Draws an already display-safe string (from text_sanitize or our own
 * text) clipped to maxw columns; returns the columns used. */
int draw_safe(int y, int x, int maxw, attr_t attr, const char *s);

/* Fills a row segment with spaces in attr. */
void draw_fill(int y, int x, int w, attr_t attr);

/* A pane: draws itself inside r. */
struct pane_ops {
    const char *name;
    void (*draw)(struct app *a, struct rect r, bool focused);
};

extern const struct pane_ops pane_tree;
extern const struct pane_ops pane_detail;
extern const struct pane_ops pane_status;
extern const struct pane_ops pane_locks;
/* Lines the locks panel has in the tree screen (its title not counted). */
size_t pane_locks_compact_lines(const struct monitor *mo);
extern const struct pane_ops pane_events;
extern const struct pane_ops pane_services;
extern const struct pane_ops pane_ensemble;
extern const struct pane_ops pane_help;
extern const struct pane_ops pane_sessions;
extern const struct pane_ops pane_find;

/* Glyphs: Unicode on a UTF-8 terminal, ASCII elsewhere. Drawn as text, not
 * with the alternate character set, which some TERM settings get wrong. */
enum glyph { GLYPH_VLINE, GLYPH_LEAF, GLYPH_OPEN, GLYPH_CLOSED, GLYPH_MORE };
const char *draw_glyph(enum glyph g);

/* "2026-11-23 04:10:01" in local time for ms since the epoch. */
void format_time_ms(long long ms, char *buf, size_t len);

/* A pane's title line: the first row of r. */
void draw_title(struct rect r, bool focused, const char *title);

/* Keeps *cursor within n lines and *top so that the cursor is among the h
 * rows shown. */
void list_follow(size_t *top, size_t *cursor, size_t n, int h);

/* Clamps *top so that n lines fill h rows as far as they can. */
void list_clamp(size_t *top, size_t n, int h);

/* Opens screen s's list of n lines in r: draws the title on r's first row,
 * keeps the screen's cursor among the rows below it (a->list_height of
 * them) and clamps its top, and clears the list path until the pane sets
 * the line under the cursor. Returns the rows below the title. */
struct rect list_open(struct app *a, enum app_screen s, struct rect r, bool focused, const char *title,
                      size_t n);

#endif
