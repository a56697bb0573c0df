/* Colour themes: one list of UI elements, each with a 256-colour style, an
 * 8-colour style and a monochrome attribute; a YAML loader that edits them;
 * and the curses side that turns them into attributes for drawing.
 * Everything but theme_apply/theme_attr/theme_mode_name is curses-free, so
 * the parser is tested without a terminal. UI thread only. */
#ifndef ZKTUI_UI_THEME_H
#define ZKTUI_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* The theme's own attribute bits (not curses constants). */
#define THEME_ATTRS(X)          \
    X(BOLD, "bold", 0)          \
    X(UNDERLINE, "underline", 1) \
    X(REVERSE, "reverse", 2)    \
    X(DIM, "dim", 3)            \
    X(ITALIC, "italic", 4)

#define THEME_A_ENUM_(id, name, bit) THEME_A_##id = 1u << (bit),
enum { THEME_A_NONE = 0, THEME_ATTRS(THEME_A_ENUM_) };
#undef THEME_A_ENUM_

/* Every element: X(ID, "yaml name", fg, bg, attrs, fg8, bg8, attrs8, mono).
 * Colours are 0-255 or -1 (the terminal's own); attributes are written with
 * T_NONE/T_BOLD/T_UL/T_REV/T_DIM/T_IT, which only theme.c defines (the
 * enum below uses the first two columns alone). This is the compiled-in
 * default theme and must say exactly what themes/default.yaml says (a unit
 * test compares them): adding an element means a line here and a line
 * there.
 *                                                 fg    bg  attrs   fg8  bg8  attrs8  mono */
#define THEME_ELEMS(X) \
    X(DEFAULT, "default",                          -1,   -1, T_NONE,  -1,  -1, T_NONE, T_NONE)         \
    X(HEADER, "header",                           231,   24, T_BOLD,   7,   4, T_BOLD, T_REV | T_BOLD) \
    X(TREE_ROW, "tree_row",                        -1,   -1, T_NONE,  -1,  -1, T_NONE, T_NONE)         \
    X(TREE_DIR, "tree_dir",                        75,   -1, T_BOLD,   6,  -1, T_BOLD, T_BOLD)         \
    X(TREE_EPHEMERAL, "tree_ephemeral",           214,   -1, T_NONE,   3,  -1, T_NONE, T_UL)           \
    X(TREE_SEQUENTIAL, "tree_sequential",         141,   -1, T_NONE,   5,  -1, T_NONE, T_NONE)         \
    X(TREE_COUNT, "tree_count",                   245,   -1, T_NONE,  -1,  -1, T_DIM,  T_DIM)          \
    X(TREE_MARKER, "tree_marker",                 244,   -1, T_NONE,   6,  -1, T_NONE, T_NONE)         \
    X(TREE_MATCH, "tree_match",                    16,  221, T_BOLD,   0,   3, T_NONE, T_UL | T_BOLD)  \
    X(TREE_DIMMED, "tree_dimmed",                 240,   -1, T_NONE,  -1,  -1, T_DIM,  T_DIM)          \
    X(SELECTION, "selection",                     231,   25, T_BOLD,   7,   4, T_BOLD, T_REV)          \
    X(SELECTION_UNFOCUSED, "selection_unfocused", 252,  238, T_NONE,   0,   7, T_NONE, T_UL)           \
    X(DETAIL_LABEL, "detail_label",               246,   -1, T_NONE,   6,  -1, T_NONE, T_NONE)         \
    X(DETAIL_VALUE, "detail_value",               252,   -1, T_NONE,  -1,  -1, T_NONE, T_NONE)         \
    X(DETAIL_PATH, "detail_path",                 229,   -1, T_BOLD,   3,  -1, T_BOLD, T_BOLD)         \
    X(DATA_TEXT, "data_text",                      -1,   -1, T_NONE,  -1,  -1, T_NONE, T_NONE)         \
    X(DATA_JSON_KEY, "data_json_key",             117,   -1, T_NONE,   6,  -1, T_NONE, T_BOLD)         \
    X(DATA_JSON_STRING, "data_json_string",       150,   -1, T_NONE,   2,  -1, T_NONE, T_NONE)         \
    X(DATA_JSON_NUMBER, "data_json_number",       179,   -1, T_NONE,   3,  -1, T_NONE, T_NONE)         \
    X(DATA_JSON_PUNCT, "data_json_punct",         244,   -1, T_NONE,  -1,  -1, T_DIM,  T_DIM)          \
    X(DATA_HEX_OFFSET, "data_hex_offset",         243,   -1, T_NONE,   6,  -1, T_NONE, T_DIM)          \
    X(DATA_ESCAPE, "data_escape",                 170,   -1, T_BOLD,   5,  -1, T_BOLD, T_REV)          \
    X(BORDER, "border",                           240,   -1, T_NONE,  -1,  -1, T_DIM,  T_NONE)         \
    X(PANE_TITLE, "pane_title",                   248,  236, T_NONE,   7,  -1, T_NONE, T_UL)           \
    X(PANE_TITLE_FOCUSED, "pane_title_focused",   231,   24, T_BOLD,   7,   4, T_BOLD, T_REV | T_BOLD) \
    X(STATUS_BAR, "status_bar",                   252,  236, T_NONE,   7,   4, T_NONE, T_REV)          \
    X(STATUS_CONNECTED, "status_connected",       114,  236, T_BOLD,   0,   2, T_NONE, T_REV | T_BOLD) \
    X(STATUS_CONNECTING, "status_connecting",     221,  236, T_BOLD,   0,   3, T_NONE, T_REV)          \
    X(STATUS_RECONNECTING, "status_reconnecting", 214,  236, T_BOLD,   0,   3, T_NONE, T_REV)          \
    X(STATUS_EXPIRED, "status_expired",           231,  160, T_BOLD,   7,   1, T_BOLD, T_BOLD | T_UL)  \
    X(STATUS_AUTH_FAILED, "status_auth_failed",   231,  160, T_BOLD,   7,   1, T_BOLD, T_BOLD | T_UL)  \
    X(STATUS_ERROR, "status_error",               203,  236, T_BOLD,   7,   1, T_BOLD, T_BOLD | T_UL)  \
    X(STATUS_WATCHES, "status_watches",           245,  236, T_NONE,   7,   4, T_NONE, T_REV)          \
    X(PROMPT, "prompt",                            -1,   -1, T_NONE,  -1,  -1, T_NONE, T_NONE)         \
    X(DIALOG, "dialog",                           252,  237, T_NONE,   7,   4, T_NONE, T_REV)          \
    X(HELP_KEY, "help_key",                       117,   -1, T_BOLD,   6,  -1, T_BOLD, T_BOLD)         \
    X(ERROR, "error",                             203,   -1, T_BOLD,   1,  -1, T_BOLD, T_BOLD | T_UL)  \
    X(TOO_SMALL, "too_small",                     231,  160, T_BOLD,   7,   1, T_BOLD, T_REV | T_BOLD) \
    X(LOCK_HOLDER, "lock_holder",                 114,   -1, T_BOLD,   2,  -1, T_BOLD, T_BOLD)         \
    X(LOCK_WAITER, "lock_waiter",                 252,   -1, T_NONE,  -1,  -1, T_NONE, T_NONE)         \
    X(LOCK_STUCK, "lock_stuck",                   231,  160, T_BOLD,   7,   1, T_BOLD, T_REV | T_BOLD) \
    X(EVENT_TIME, "event_time",                   245,   -1, T_NONE,  -1,  -1, T_DIM,  T_DIM)          \
    X(EVENT_ONLINE, "event_online",               114,   -1, T_BOLD,   2,  -1, T_BOLD, T_BOLD)         \
    X(EVENT_OFFLINE, "event_offline",             203,   -1, T_BOLD,   1,  -1, T_BOLD, T_BOLD | T_UL)  \
    X(EVENT_LOCK, "event_lock",                   179,   -1, T_NONE,   3,  -1, T_NONE, T_NONE)

#define THEME_ELEM_ENUM_(id, ...) THEME_##id,
enum theme_elem { THEME_ELEMS(THEME_ELEM_ENUM_) THEME__COUNT };
#undef THEME_ELEM_ENUM_

/* fg/bg: 0-255, or -1 for the terminal's default; attrs: THEME_A_* bits. */
struct theme_style {
    short fg, bg;
    unsigned attrs;
};

struct theme {
    char name[64];
    struct theme_style s256[THEME__COUNT]; /* terminals with 256 colours */
    struct theme_style s8[THEME__COUNT];   /* fewer colours: 0-7 (0-15 on 16) */
    unsigned mono[THEME__COUNT];           /* no colour, or NO_COLOR set */
};

/* Fills t (caller-owned) with the compiled-in default theme. */
void theme_defaults(struct theme *t);

/* Applies the YAML theme in file on top of what t holds (call
 * theme_defaults first). On failure returns false, leaves t as it was, and
 * writes "FILE:LINE:COL: what" into err (errlen bytes, caller-owned). Any
 * bytes are safe; files over 1 MiB are refused. */
bool theme_load_file(struct theme *t, const char *file, char *err, size_t errlen);

/* Resolves --theme's argument to an existing file in path_out (len bytes).
 * A value holding '/' or ending in ".yaml" is a path; a name is looked up as
 * NAME.yaml in $ZKTUI_THEMES_DIR, then $XDG_CONFIG_HOME/zktui/themes
 * (~/.config/zktui/themes), then themes/ beside the executable, then
 * ../share/zktui/themes from it (installed under any PREFIX), then
 * ZKTUI_DATADIR/themes. False when no file exists. Any thread. */
bool theme_find(const char *name_or_file, char *path_out, size_t len);

/* The element's YAML name ("tree_dir"); "?" when out of range. */
const char *theme_elem_name(enum theme_elem e);

/* After initscr: picks mono (no colours, or NO_COLOR is non-empty), 8-colour
 * (COLORS < 256) or 256-colour, and makes one colour pair per element. t is
 * copied; it may be freed afterwards. Call again after a theme change. */
void theme_apply(const struct theme *t);

/* The curses attributes (an attr_t: COLOR_PAIR | A_*) to draw e with; 0
 * before theme_apply. */
unsigned long theme_attr(enum theme_elem e);

/* "256", "8" or "mono": what theme_apply chose. */
const char *theme_mode_name(void);

#endif
