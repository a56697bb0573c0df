/* :find and F: every node under a path whose name holds a pattern (a
 * substring, letters without case, or a glob when it has * ? [), and with
 * -d whose data does, found by a bulk walk (src/zk/walk.h: no watches,
 * nothing put in the store). Results show as they come, in a list of
 * their own (pane_find.c); Enter there, or n/N from the tree, goes to one
 * the way J does. UI thread only. */
#include "ui/app.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"
#include "model/path.h"
#include "zk/walk.h"

#define FIND_MAX 10000  /* results kept; the search stops there */
#define LINE_MAX_SHOWN 160 /* bytes of a matching data line kept */

struct find_hit {
    char *path;
    char *line; /* the data line that matched, trimmed; NULL: the name did */
};

struct find {
    struct bulk_run run;  /* the walk, while it runs */
    char *top;
    char *pattern;
    bool glob;            /* has * ? [: fnmatch, else a substring */
    bool data;            /* -d: the data too */
    struct find_hit *v;
    size_t n, cap;
    uint64_t nodes;       /* nodes looked at */
    long long ms;         /* how long it took, once over */
    bool over;
    bool capped;          /* stopped at FIND_MAX results */
    char why[80];         /* how it ended early ("Esc", an error); "" */
    long at;              /* the result n/N went to last; -1 none */
};

static const char help[] =
    "Find under the selected node by name: a substring, or a glob with * ? [ ]   "
    "-d PATTERN: in data too   PATTERN PATH: under PATH   Esc: cancel";

static void hits_free(struct find *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        free(f->v[i].line);
    }
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

void app_find_free(struct app *a)
{
    struct find *f = a->find;
    if (!f)
        return;
    zk_walk_release(f->run.walk);
    free(f->run.top);
    hits_free(f);
    free(f->top);
    free(f->pattern);
    free(f);
    a->find = NULL;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Where needle (nlen bytes) is in hay, ASCII letters without case; NULL
 * when it is not. */
static const char *ci_find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    for (size_t i = 0; nlen && i + nlen <= hlen; i++) {
        size_t j = 0;
        while (j < nlen && lower((unsigned char)hay[i + j]) == lower((unsigned char)needle[j]))
            j++;
        if (j == nlen)
            return hay + i;
    }
    return NULL;
}

static bool name_matches(const struct find *f, const char *name)
{
    if (f->glob)
        return fnmatch(f->pattern, name, 0) == 0;
    return ci_find(name, strlen(name), f->pattern, strlen(f->pattern)) != NULL;
}

/* The line of data (len bytes) that holds the pattern, as [*start, +*llen);
 * false when none does. A glob is matched against each line whole, as
 * "*PATTERN*". */
static bool data_matches(const struct find *f, const char *data, size_t len, size_t *start,
                         size_t *llen)
{
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(data + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - data) : len;
        bool hit;
        if (f->glob) {
            char line[4096], pat[600];
            size_t n = end - at < sizeof line - 1 ? end - at : sizeof line - 1;
            memcpy(line, data + at, n);
            line[n] = '\0';
            snprintf(pat, sizeof pat, "*%s*", f->pattern);
            hit = fnmatch(pat, line, 0) == 0;
        } else
            hit = ci_find(data + at, end - at, f->pattern, strlen(f->pattern)) != NULL;
        if (hit) {
            *start = at;
            *llen = end - at;
            return true;
        }
        at = end + 1;
    }
    return false;
}

/* A copy of a data line for the list: blanks trimmed, at most
 * LINE_MAX_SHOWN bytes, not cut inside a UTF-8 character. */
static char *line_copy(const char *p, size_t len)
{
    char *s;
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
        len--;
    if (len > LINE_MAX_SHOWN) {
        len = LINE_MAX_SHOWN;
        while (len && ((unsigned char)p[len] & 0xc0) == 0x80)
            len--;
    }
    if ((s = malloc(len + 1))) {
        memcpy(s, p, len);
        s[len] = '\0';
    }
    return s;
}

static void find_over(struct app *a, const char *why, int rc);

static void add_hit(struct app *a, const char *path, const char *line, size_t llen)
{
    struct find *f = a->find;
    struct find_hit h = { strdup(path), line ? line_copy(line, llen) : NULL };
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        struct find_hit *v = realloc(f->v, cap * sizeof *v);
        if (!v) {
            free(h.path);
            free(h.line);
            find_over(a, "out of memory", 0);
            return;
        }
        f->v = v;
        f->cap = cap;
    }
    if (!h.path) {
        free(h.line);
        return;
    }
    f->v[f->n++] = h;
    if (f->n >= FIND_MAX) {
        f->capped = true;
        find_over(a, NULL, 0);
    }
}

/* The search is over: done, stopped (why), or cut short (rc). */
static void find_over(struct app *a, const char *why, int rc)
{
    struct find *f = a->find;
    char n[32], nodes[32], top[300];
    struct strbuf b = { 0 };
    if (!f || f->over)
        return;
    f->ms = app_bulk_elapsed(&f->run);
    f->over = true;
    zk_walk_release(f->run.walk);
    free(f->run.top);
    memset(&f->run, 0, sizeof f->run);
    snprintf(f->why, sizeof f->why, "%s", why ? why : rc ? zk_strerror(rc) : "");
    text_sanitize(f->top, strlen(f->top), &b);
    snprintf(top, sizeof top, "%s", sb_str(&b));
    sb_free(&b);
    app_count_text(f->n, n, sizeof n);
    app_count_text(f->nodes, nodes, sizeof nodes);
    if (rc && !why)
        app_error(a, "find under %s stopped: %s; %s result%s in %s nodes", top, f->why, n,
                  f->n == 1 ? "" : "s", nodes);
    else {
        snprintf(a->info, sizeof a->info, "find under %s %s: %s result%s in %s nodes (%.1f s)%s",
                 top, f->capped ? "stopped at the cap" : why ? "stopped" : "done", n,
                 f->n == 1 ? "" : "s", nodes, f->ms / 1000.0,
                 f->n ? "; Enter on one goes there, n/N from the tree" : "");
        a->error[0] = '\0';
    }
    a->dirty = true;
}

void app_find_reply(struct app *a, const struct msg *m)
{
    struct find *f = a->find;
    const char *name;
    size_t start = 0, llen = 0;
    bool in_data;
    if (!f || !f->run.walk || zk_walk_id(m->tag) != f->run.id)
        return; /* a stopped walk's */
    a->dirty = true;
    if (m->kind == MSG_WALK_END) {
        find_over(a, NULL, m->rc);
        return;
    }
    if (m->kind == MSG_CHILDREN && m->res != ZRES_NONODE)
        f->nodes++;
    /* Each node once: at its list, or with -d at its data. */
    if (m->res == ZRES_NONODE || m->kind != (f->data ? MSG_DATA : MSG_CHILDREN))
        return;
    name = path_basename(m->path); /* "" for the root */
    in_data = f->data && m->res == ZRES_OK && m->data &&
              data_matches(f, m->data, (size_t)m->data_len, &start, &llen);
    if (in_data)
        add_hit(a, m->path, m->data + start, llen);
    else if (name[0] && name_matches(f, name))
        add_hit(a, m->path, NULL, 0);
}

/* Parses "[-d] PATTERN [PATH]"; false with the reason said. */
static bool parse(struct app *a, const char *args, bool *data, char *pat, size_t plen,
                  char *path, size_t pathlen)
{
    char buf[1024], *tok[4], *save = NULL;
    int n = 0;
    snprintf(buf, sizeof buf, "%s", args);
    *data = false;
    path[0] = '\0';
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (strcmp(t, "-d") == 0 && n == 0 && !*data) {
            *data = true;
            continue;
        }
        if (n == 3)
            break;
        tok[n++] = t;
    }
    if (n == 0 || n > 2) {
        app_error(a, ":find wants [-d] PATTERN [PATH]");
        return false;
    }
    snprintf(pat, plen, "%s", tok[0]);
    if (n == 2) {
        char *p = tok[1][0] == '/' ? strdup(tok[1]) : path_join(app_selected(a)->path, tok[1]);
        const char *why = NULL;
        if (!p || !path_is_valid(p, &why)) {
            app_error(a, ":find: not a valid path: %s", p ? why : "out of memory");
            free(p);
            return false;
        }
        snprintf(path, pathlen, "%s", p);
        free(p);
    } else
        snprintf(path, pathlen, "%s", app_selected(a)->path);
    return true;
}

static void find_start(struct app *a, const char *args)
{
    char pat[512], path[1024];
    bool data;
    struct find *f;
    uint16_t id;
    if (!parse(a, args, &data, pat, sizeof pat, path, sizeof path))
        return;
    if (a->state != CONN_CONNECTED && a->state != CONN_READONLY) {
        app_error(a, "cannot search: not connected");
        return;
    }
    app_find_free(a);
    if (!(f = a->find = calloc(1, sizeof *f)) || !(f->top = strdup(path)) ||
        !(f->pattern = strdup(pat)) || !(f->run.top = strdup(path))) {
        app_find_free(a);
        app_error(a, "out of memory");
        return;
    }
    f->glob = strpbrk(pat, "*?[") != NULL;
    f->data = data;
    f->at = -1;
    id = app_bulk_id(a);
    f->run.walk = zk_walk_start(a->zk, path, a->walk_window,
                                WALK_NO_NAMES | (data ? WALK_DATA : 0), id);
    if (!f->run.walk) {
        app_find_free(a);
        app_error(a, "cannot search: not connected");
        return;
    }
    f->run.id = id;
    f->run.t0 = app_mono_ms();
    a->screen = SCREEN_FIND;
    a->list_cursor[SCREEN_FIND] = a->list_top[SCREEN_FIND] = 0;
    a->info[0] = a->error[0] = '\0';
    a->dirty = true;
}

void app_find_command(struct app *a, const char *args)
{
    if (args[0]) {
        find_start(a, args);
        return;
    }
    if (!a->find)
        app_error(a, ":find wants [-d] PATTERN [PATH] (F asks for it)");
    else
        a->screen = SCREEN_FIND;
}

void app_ask_find(struct app *a)
{
    app_prompt_clear(a);
    snprintf(a->prompt.detail, sizeof a->prompt.detail, "%s", help);
    app_prompt_input(a, PROMPT_FIND, "find: ", a->find && a->find->data ? "-d " : NULL);
}

void app_find_key(struct app *a, int key)
{
    char line[sizeof a->prompt.input];
    if (!app_prompt_type(a, key))
        return;
    snprintf(line, sizeof line, "%s", a->prompt.input);
    app_prompt_clear(a);
    find_start(a, line);
}

bool app_find_stop(struct app *a, const char *why)
{
    if (!a->find || !a->find->run.walk)
        return false;
    find_over(a, why, 0);
    return true;
}

void app_find_title(const struct app *a, char *buf, size_t len)
{
    const struct find *f = a->find;
    char n[32], nodes[32], rate[32], top[300], pat[200];
    struct strbuf b = { 0 };
    long long ms;
    if (!f) {
        snprintf(buf, len, "Find: no search yet (F, or :find PATTERN)");
        return;
    }
    ms = f->over ? f->ms : app_bulk_elapsed(&f->run);
    text_sanitize(f->top, strlen(f->top), &b);
    snprintf(top, sizeof top, "%s", sb_str(&b));
    sb_reset(&b);
    text_sanitize(f->pattern, strlen(f->pattern), &b);
    snprintf(pat, sizeof pat, "%s", sb_str(&b));
    sb_free(&b);
    app_count_text(f->n, n, sizeof n);
    app_count_text(f->nodes, nodes, sizeof nodes);
    app_count_text(ms > 0 ? f->nodes * 1000 / (uint64_t)ms : 0, rate, sizeof rate);
    if (!f->over)
        snprintf(buf, len, "Find %s '%s' under %s: %s result%s; %s nodes, %s/s, %.1f s - Esc "
                           "stops", f->data ? "(names, data)" : "(names)", pat, top, n,
                 f->n == 1 ? "" : "s", nodes, rate, ms / 1000.0);
    else
        snprintf(buf, len, "Find %s '%s' under %s: %s result%s in %s nodes, %.1f s%s%s%s  "
                           "Enter: go there", f->data ? "(names, data)" : "(names)", pat, top, n,
                 f->n == 1 ? "" : "s", nodes, ms / 1000.0,
                 f->capped ? " (the cap: the search stopped there)" : f->why[0] ? " (stopped: " : "",
                 !f->capped && f->why[0] ? f->why : "", !f->capped && f->why[0] ? ")" : "");
}

bool app_find_progress(const struct app *a, char *buf, size_t len)
{
    const struct find *f = a->find;
    char n[32], nodes[32], top[200];
    struct strbuf b = { 0 };
    if (!f || !f->run.walk)
        return false;
    text_sanitize(f->top, strlen(f->top), &b);
    snprintf(top, sizeof top, "%s", sb_str(&b));
    sb_free(&b);
    snprintf(buf, len, "finding under %s: %s nodes, %s results, %.1f s", top,
             app_count_text(f->nodes, nodes, sizeof nodes), app_count_text(f->n, n, sizeof n),
             app_bulk_elapsed(&f->run) / 1000.0);
    return true;
}

size_t app_find_count(const struct app *a)
{
    return a->find ? a->find->n : 0;
}

const char *app_find_path(const struct app *a, size_t i, const char **line)
{
    *line = NULL;
    if (!a->find || i >= a->find->n)
        return NULL;
    *line = a->find->v[i].line;
    return a->find->v[i].path;
}

void app_find_open(struct app *a)
{
    size_t i = a->list_cursor[SCREEN_FIND];
    if (!a->find || i >= a->find->n) {
        app_error(a, "no result under the cursor");
        return;
    }
    a->find->at = (long)i;
    app_jump_to(a, a->find->v[i].path);
}

void app_find_step(struct app *a, int dir)
{
    struct find *f = a->find;
    char n[32], of[32];
    long at;
    if (!f || f->n == 0) {
        app_error(a, "no results to go to: F (or :find PATTERN) searches");
        return;
    }
    at = f->at + dir;
    if (at < 0)
        at = (long)f->n - 1;
    if (at >= (long)f->n)
        at = 0;
    f->at = at;
    a->list_cursor[SCREEN_FIND] = (size_t)at;
    app_jump_to(a, f->v[at].path);
    snprintf(a->info, sizeof a->info, "result %s of %s", app_count_text((uint64_t)at + 1, n, sizeof n),
             app_count_text(f->n, of, sizeof of));
}
