/* Themes: the element table, the YAML loader (curses-free) and, at the end,
 * the only curses code, which turns a theme into attributes. */
#include "ui/theme.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>
#include <yaml.h>

#include "yamlfile.h"

#ifndef ZKTUI_DATADIR
#define ZKTUI_DATADIR "/usr/local/share/zktui"
#endif

#ifndef A_ITALIC
#define A_ITALIC A_NORMAL
#endif

/* The attribute shorthands of THEME_ELEMS (see theme.h). */
#define T_NONE 0u
#define T_BOLD THEME_A_BOLD
#define T_UL THEME_A_UNDERLINE
#define T_REV THEME_A_REVERSE
#define T_DIM THEME_A_DIM
#define T_IT THEME_A_ITALIC

struct elem_default {
    const char *name;
    struct theme_style s256, s8;
    unsigned mono;
};

#define ELEM_ROW_(id, name, fg, bg, at, fg8, bg8, at8, mono) \
    [THEME_##id] = { name, { fg, bg, at }, { fg8, bg8, at8 }, mono },
static const struct elem_default elems[THEME__COUNT] = { THEME_ELEMS(ELEM_ROW_) };
#undef ELEM_ROW_

#define ATTR_ROW_(id, name, bit) { name, THEME_A_##id },
static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = { THEME_ATTRS(ATTR_ROW_) };
#undef ATTR_ROW_

static const struct {
    const char *name;
    short colour;
} colour_names[] = {
    { "default", -1 },        { "black", 0 },          { "red", 1 },
    { "green", 2 },           { "yellow", 3 },         { "blue", 4 },
    { "magenta", 5 },         { "cyan", 6 },           { "white", 7 },
    { "bright-black", 8 },    { "bright-red", 9 },     { "bright-green", 10 },
    { "bright-yellow", 11 },  { "bright-blue", 12 },   { "bright-magenta", 13 },
    { "bright-cyan", 14 },    { "bright-white", 15 },
};

/* xterm's default RGB for colours 0-7, to map "#rrggbb" in 8-colour mode. */
static const unsigned char basic_rgb[8][3] = {
    { 0, 0, 0 },     { 205, 0, 0 },   { 0, 205, 0 },   { 205, 205, 0 },
    { 0, 0, 238 },   { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
};

static const unsigned char cube_level[6] = { 0, 95, 135, 175, 215, 255 };

/* Which of an element's styles a YAML key sets. */
enum style_set { SET_256, SET_8, SET_MONO };
enum style_field { FIELD_FG, FIELD_BG, FIELD_ATTRS };

static const struct {
    const char *name;
    enum style_set set;
    enum style_field field;
} elem_keys[] = {
    { "fg", SET_256, FIELD_FG },  { "bg", SET_256, FIELD_BG },  { "attrs", SET_256, FIELD_ATTRS },
    { "fg8", SET_8, FIELD_FG },   { "bg8", SET_8, FIELD_BG },   { "attrs8", SET_8, FIELD_ATTRS },
    { "mono", SET_MONO, FIELD_ATTRS },
};
#define ELEM_KEYS_COUNT (sizeof elem_keys / sizeof elem_keys[0])
#define ELEM_KEYS_HELP "fg, bg, attrs, fg8, bg8, attrs8, mono"

void theme_defaults(struct theme *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "default");
    for (int e = 0; e < THEME__COUNT; e++) {
        t->s256[e] = elems[e].s256;
        t->s8[e] = elems[e].s8;
        t->mono[e] = elems[e].mono;
    }
}

const char *theme_elem_name(enum theme_elem e)
{
    return (unsigned)e < THEME__COUNT ? elems[e].name : "?";
}

/* ---- loading ---------------------------------------------------------- */

struct load {
    const char *file;
    yaml_document_t *doc;
    struct theme *t;
    char *err;
    size_t errlen;
};

static bool fail_at(struct load *l, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail_at(struct load *l, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    yamlfile_vfail(l->file, m, l->err, l->errlen, fmt, ap);
    va_end(ap);
    return false;
}

static bool same_word(const char *a, size_t alen, const char *b)
{
    size_t i;
    for (i = 0; i < alen && b[i]; i++)
        if (tolower((unsigned char)a[i]) != b[i])
            return false;
    return i == alen && !b[i];
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int sq(int a, int b)
{
    return (a - b) * (a - b);
}

/* The nearest colour of xterm's 6x6x6 cube or grey ramp (16-255); 0-15 are
 * left out because every terminal paints them differently. */
static short nearest_256(int r, int g, int b)
{
    int idx[3], rgb[3] = { r, g, b }, cube_d = 0, grey, gi, grey_d;
    for (int i = 0; i < 3; i++) {
        idx[i] = rgb[i] < 48 ? 0 : rgb[i] < 115 ? 1 : (rgb[i] - 35) / 40;
        cube_d += sq(rgb[i], cube_level[idx[i]]);
    }
    grey = (r + g + b) / 3;
    gi = grey < 8 ? 0 : (grey - 8 + 5) / 10;
    gi = gi > 23 ? 23 : gi;
    grey_d = sq(r, 8 + 10 * gi) + sq(g, 8 + 10 * gi) + sq(b, 8 + 10 * gi);
    if (grey_d < cube_d)
        return (short)(232 + gi);
    return (short)(16 + 36 * idx[0] + 6 * idx[1] + idx[2]);
}

static short nearest_8(int r, int g, int b)
{
    int best = 0, best_d = INT_MAX;
    for (int i = 0; i < 8; i++) {
        int d = sq(r, basic_rgb[i][0]) + sq(g, basic_rgb[i][1]) + sq(b, basic_rgb[i][2]);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return (short)best;
}

/* "-1", "0".."max", a colour name or "#rrggbb" into *out. */
static bool parse_colour(struct load *l, const char *key, const yaml_node_t *n, int max, short *out)
{
    const char *s = yamlfile_scalar(n);
    char buf[64];
    size_t len;
    if (!s)
        return fail_at(l, n->start_mark, "%s: wants a colour: a name, 0-%d or \"#rrggbb\"", key, max);
    len = strlen(s);
    if (!len)
        return fail_at(l, n->start_mark,
                       "%s: no colour given (quote \"#rrggbb\": a bare # starts a comment)", key);
    for (size_t i = 0; i < sizeof colour_names / sizeof colour_names[0]; i++)
        if (same_word(s, len, colour_names[i].name) && colour_names[i].colour <= max) {
            *out = colour_names[i].colour;
            return true;
        }
    if (s[0] == '#' && len == 7) {
        int v[6];
        for (int i = 0; i < 6; i++)
            if ((v[i] = hexval(s[i + 1])) < 0)
                goto bad;
        int r = v[0] * 16 + v[1], g = v[2] * 16 + v[3], b = v[4] * 16 + v[5];
        *out = max > 15 ? nearest_256(r, g, b) : nearest_8(r, g, b);
        return true;
    }
    if (strcmp(s, "-1") == 0) {
        *out = -1;
        return true;
    }
    if (len <= 4 && strspn(s, "0123456789") == len) {
        int v = atoi(s);
        if (v <= max) {
            *out = (short)v;
            return true;
        }
        return fail_at(l, n->start_mark, "%s: colour %d is out of range 0-%d", key, v, max);
    }
bad:
    return fail_at(l, n->start_mark, "%s: '%s' is not a colour (a name, 0-%d or \"#rrggbb\")", key,
                   yamlfile_shown(s, buf, sizeof buf), max);
}

/* One attribute word (of len bytes) into *bits. */
static bool attr_word(struct load *l, const char *key, const yaml_node_t *n, const char *w,
                      size_t len, unsigned *bits)
{
    char buf[64];
    if (same_word(w, len, "none"))
        return true;
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
        if (same_word(w, len, attr_names[i].name)) {
            *bits |= attr_names[i].bit;
            return true;
        }
    snprintf(buf, sizeof buf, "%.*s", (int)(len < 40 ? len : 40), w);
    return fail_at(l, n->start_mark,
                   "%s: unknown attribute '%s' (bold, underline, reverse, dim, italic or none)", key,
                   yamlfile_shown(buf, buf, sizeof buf));
}

/* A string of words split by spaces or commas. */
static bool attr_string(struct load *l, const char *key, const yaml_node_t *n, unsigned *bits)
{
    const char *s = yamlfile_scalar(n);
    if (!s)
        return fail_at(l, n->start_mark, "%s: wants attributes such as \"bold underline\"", key);
    while (*s) {
        size_t len = strcspn(s, " ,\t");
        if (len && !attr_word(l, key, n, s, len, bits))
            return false;
        s += len;
        s += strspn(s, " ,\t");
    }
    return true;
}

/* A string, or a list of strings, of attribute names. */
static bool parse_attrs(struct load *l, const char *key, const yaml_node_t *n, unsigned *out)
{
    unsigned bits = 0;
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
            if (!attr_string(l, key, yaml_document_get_node(l->doc, *i), &bits))
                return false;
    } else if (!attr_string(l, key, n, &bits)) {
        return false;
    }
    *out = bits;
    return true;
}

/* A mapping key that must be a plain name. */
static const char *map_key(struct load *l, const yaml_node_t *k)
{
    const char *s = yamlfile_scalar(k);
    if (!s)
        fail_at(l, k->start_mark, "keys must be plain names");
    return s;
}

static bool load_element(struct load *l, enum theme_elem e, const yaml_node_t *n)
{
    const char *ename = elems[e].name;
    unsigned seen = 0;
    char buf[64];
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(l, n->start_mark, "%s: wants a mapping of " ELEM_KEYS_HELP, ename);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
        const char *name = map_key(l, k);
        size_t i;
        if (!name)
            return false;
        for (i = 0; i < ELEM_KEYS_COUNT && strcmp(name, elem_keys[i].name) != 0; i++)
            ;
        if (i == ELEM_KEYS_COUNT)
            return fail_at(l, k->start_mark, "%s: unknown key '%s' (" ELEM_KEYS_HELP ")", ename,
                           yamlfile_shown(name, buf, sizeof buf));
        if (seen & (1u << i))
            return fail_at(l, k->start_mark, "%s: duplicate key '%s'", ename, name);
        seen |= 1u << i;
        snprintf(buf, sizeof buf, "%s.%s", ename, name);
        struct theme_style *st = elem_keys[i].set == SET_256 ? &l->t->s256[e] : &l->t->s8[e];
        bool ok;
        if (elem_keys[i].field == FIELD_ATTRS)
            ok = parse_attrs(l, buf, v, elem_keys[i].set == SET_MONO ? &l->t->mono[e] : &st->attrs);
        else
            ok = parse_colour(l, buf, v, elem_keys[i].set == SET_256 ? 255 : 15,
                              elem_keys[i].field == FIELD_FG ? &st->fg : &st->bg);
        if (!ok)
            return false;
    }
    return true;
}

static bool load_elements(struct load *l, const yaml_node_t *n)
{
    unsigned char seen[THEME__COUNT] = { 0 };
    char buf[64];
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(l, n->start_mark, "elements: wants a mapping of element names");
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const char *name = map_key(l, k);
        int e;
        if (!name)
            return false;
        for (e = 0; e < THEME__COUNT && strcmp(name, elems[e].name) != 0; e++)
            ;
        if (e == THEME__COUNT)
            return fail_at(l, k->start_mark, "unknown element '%s'", yamlfile_shown(name, buf, sizeof buf));
        if (seen[e]++)
            return fail_at(l, k->start_mark, "duplicate element '%s'", name);
        if (!load_element(l, (enum theme_elem)e, yaml_document_get_node(l->doc, p->value)))
            return false;
    }
    return true;
}

static bool load_name(struct load *l, const yaml_node_t *n)
{
    const char *s = yamlfile_scalar(n);
    if (!s || !s[0])
        return fail_at(l, n->start_mark, "name: wants a short name");
    if (strlen(s) >= sizeof l->t->name)
        return fail_at(l, n->start_mark, "name: longer than %zu bytes", sizeof l->t->name - 1);
    snprintf(l->t->name, sizeof l->t->name, "%s", s);
    return true;
}

/* The file's base name without ".yaml", for a theme that gives no name. */
static void name_from_file(struct theme *t, const char *file)
{
    const char *base = strrchr(file, '/');
    size_t len;
    base = base ? base + 1 : file;
    len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    snprintf(t->name, sizeof t->name, "%.*s", (int)(len < sizeof t->name ? len : sizeof t->name - 1),
             base);
}

static bool load_root(struct load *l)
{
    const yaml_node_t *root = yaml_document_get_root_node(l->doc);
    bool have_name = false, have_elements = false;
    char buf[64];
    if (!root)
        return true; /* an empty file: the theme it is loaded on, unchanged */
    if (root->type != YAML_MAPPING_NODE)
        return fail_at(l, root->start_mark, "a theme is a mapping with name: and elements:");
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
        const yaml_node_t *v = yaml_document_get_node(l->doc, p->value);
        const char *name = map_key(l, k);
        bool *seen;
        if (!name)
            return false;
        if (strcmp(name, "name") == 0)
            seen = &have_name;
        else if (strcmp(name, "elements") == 0)
            seen = &have_elements;
        else
            return fail_at(l, k->start_mark, "unknown key '%s' (name, elements)",
                           yamlfile_shown(name, buf, sizeof buf));
        if (*seen)
            return fail_at(l, k->start_mark, "duplicate key '%s'", name);
        *seen = true;
        if (!(seen == &have_name ? load_name(l, v) : load_elements(l, v)))
            return false;
    }
    if (!have_name)
        name_from_file(l->t, l->file);
    return true;
}

/* The whole file in a NUL-terminated buffer (caller frees), or NULL with a
 * message in err. */
bool theme_load_file(struct theme *t, const char *file, char *err, size_t errlen)
{
    struct theme copy = *t;
    struct load l = { file, NULL, &copy, err, errlen };
    yaml_document_t doc;
    bool ok;
    if (!yamlfile_load(file, "theme", &doc, err, errlen))
        return false;
    l.doc = &doc;
    ok = load_root(&l);
    yaml_document_delete(&doc);
    if (ok)
        *t = copy;
    return ok;
}

/* ---- finding ---------------------------------------------------------- */

static bool try_path(char *out, size_t len, const char *dir, const char *sub, const char *name)
{
    struct stat st;
    int n = snprintf(out, len, "%s%s%s.yaml", dir, sub, name);
    return n > 0 && (size_t)n < len && stat(out, &st) == 0 && !S_ISDIR(st.st_mode);
}

bool theme_find(const char *arg, char *out, size_t len)
{
    const char *env = getenv("ZKTUI_THEMES_DIR");
    char exe[PATH_MAX];
    ssize_t n;
    size_t alen;
    if (!arg || !arg[0] || !len)
        return false;
    alen = strlen(arg);
    if (strchr(arg, '/') || (alen >= 5 && strcmp(arg + alen - 5, ".yaml") == 0)) {
        struct stat st;
        int w = snprintf(out, len, "%s", arg);
        return w > 0 && (size_t)w < len && stat(out, &st) == 0 && !S_ISDIR(st.st_mode);
    }
    if (env && env[0] && try_path(out, len, env, "/", arg))
        return true;
    /* The user's own: $XDG_CONFIG_HOME/zktui/themes, ~/.config/zktui/themes. */
    {
        const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
        char dir[PATH_MAX];
        int w = xdg && xdg[0] == '/' ? snprintf(dir, sizeof dir, "%s/zktui/themes", xdg)
                : home && home[0]    ? snprintf(dir, sizeof dir, "%s/.config/zktui/themes", home)
                                     : -1;
        if (w > 0 && (size_t)w < sizeof dir && try_path(out, len, dir, "/", arg))
            return true;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        char *slash;
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/'))) {
            *slash = '\0';
            if (try_path(out, len, exe, "/themes/", arg))
                return true;
            /* Installed: PREFIX/bin/zktui finds PREFIX/share/zktui/themes
             * whatever PREFIX (or DESTDIR) it was copied to; a build in a
             * subdirectory of the source tree (build-asan/) finds its
             * themes/. */
            if (try_path(out, len, exe, "/../share/zktui/themes/", arg) ||
                try_path(out, len, exe, "/../themes/", arg))
                return true;
        }
    }
    return try_path(out, len, ZKTUI_DATADIR, "/themes/", arg);
}

/* ---- curses ----------------------------------------------------------- */

_Static_assert(sizeof(attr_t) <= sizeof(unsigned long), "theme_attr's type holds an attr_t");

enum theme_mode { MODE_MONO, MODE_8, MODE_256 };

static const char *const mode_names[] = { [MODE_MONO] = "mono", [MODE_8] = "8", [MODE_256] = "256" };

static enum theme_mode mode = MODE_MONO;
static attr_t elem_attr[THEME__COUNT];

#define CURSES_ATTR_ROW_(id, name, bit) { THEME_A_##id, A_##id },
static const struct {
    unsigned bit;
    attr_t curses;
} curses_attr_bits[] = { THEME_ATTRS(CURSES_ATTR_ROW_) };
#undef CURSES_ATTR_ROW_

static attr_t curses_attrs(unsigned bits)
{
    attr_t a = A_NORMAL;
    for (size_t i = 0; i < sizeof curses_attr_bits / sizeof curses_attr_bits[0]; i++)
        if (bits & curses_attr_bits[i].bit)
            a |= curses_attr_bits[i].curses;
    return a;
}

/* A colour this terminal can show: bright 8-15 become 0-7 (plus bold for a
 * foreground) on 8 colours; -1 becomes white on black where the terminal
 * cannot keep its own colours. */
static short usable(short c, bool fg, bool have_default, attr_t *extra)
{
    if (c >= COLORS && c < 16 && c >= 8) {
        c = (short)(c - 8);
        if (fg)
            *extra |= A_BOLD;
    }
    if (c < 0 || c >= COLORS)
        c = have_default ? -1 : fg ? COLOR_WHITE : COLOR_BLACK;
    return c;
}

void theme_apply(const struct theme *t)
{
    const char *no_color = getenv("NO_COLOR");
    bool have_default;
    mode = MODE_MONO;
    if (has_colors() && !(no_color && no_color[0]) && start_color() == OK)
        mode = COLORS >= 256 ? MODE_256 : MODE_8;
    have_default = mode != MODE_MONO && use_default_colors() == OK;
    for (int e = 0; e < THEME__COUNT; e++) {
        const struct theme_style *s = mode == MODE_256 ? &t->s256[e] : &t->s8[e];
        attr_t extra = A_NORMAL;
        short fg, bg;
        if (mode == MODE_MONO || e + 1 >= COLOR_PAIRS) {
            elem_attr[e] = curses_attrs(t->mono[e]);
            continue;
        }
        fg = usable(s->fg, true, have_default, &extra);
        bg = usable(s->bg, false, have_default, &extra);
        if (init_pair((short)(e + 1), fg, bg) == ERR) {
            elem_attr[e] = curses_attrs(t->mono[e]);
            continue;
        }
        elem_attr[e] = COLOR_PAIR(e + 1) | curses_attrs(s->attrs) | extra;
    }
}

unsigned long theme_attr(enum theme_elem e)
{
    return (unsigned)e < THEME__COUNT ? elem_attr[e] : A_NORMAL;
}

const char *theme_mode_name(void)
{
    return mode_names[mode];
}
