/* The detail pane: path, every Stat field, the ACL, and the data as text,
 * pretty JSON or a hex dump. Scrolls as one document. */
#include "ui/draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/acl.h"
#include "model/datafmt.h"

/* The rendered data of one node version, kept until the node, its data or
 * the view changes, so a 1 MB value is not re-rendered every frame. */
static struct {
    char *path;
    int64_t mzxid;
    int32_t len;
    uint32_t flags;
    enum view_mode view;
    int cols;
    enum data_kind kind;
    struct lines lines;
} cache;

static void cache_drop(void)
{
    free(cache.path);
    cache.path = NULL;
    lines_free(&cache.lines);
}

static enum data_kind view_kind(enum view_mode v, enum data_kind looks)
{
    switch (v) {
    case VIEW_TEXT: return looks == DATA_EMPTY ? DATA_EMPTY : DATA_TEXT;
    case VIEW_JSON: return looks == DATA_EMPTY ? DATA_EMPTY : DATA_JSON;
    case VIEW_HEX: return looks == DATA_EMPTY ? DATA_EMPTY : DATA_BINARY;
    default: return looks;
    }
}

static const struct lines *data_lines(struct app *a, const struct node *n, int cols,
                                      enum data_kind *kind)
{
    uint32_t f = n->flags & NODE_HAS_DATA;
    if (!cache.path || strcmp(cache.path, n->path) != 0 || cache.mzxid != n->stat.mzxid ||
        cache.len != node_data_len(n) || cache.flags != f || cache.view != a->view ||
        cache.cols != cols) {
        enum data_kind looks;
        cache_drop();
        cache.path = strdup(n->path);
        cache.mzxid = n->stat.mzxid;
        cache.len = node_data_len(n);
        cache.flags = f;
        cache.view = a->view;
        cache.cols = cols;
        looks = f ? data_classify(node_data(n), (size_t)node_data_len(n)) : DATA_EMPTY;
        cache.kind = view_kind(a->view, looks);
        if (cache.kind == DATA_JSON && looks != DATA_JSON)
            cache.kind = DATA_TEXT; /* asked for JSON, but it does not parse */
        if (f && !data_render(node_data(n), (size_t)node_data_len(n), cache.kind, cols,
                              &cache.lines))
            app_error(a, "out of memory rendering %s", n->path);
    }
    *kind = cache.kind;
    return &cache.lines;
}

/* The document: fixed lines first, then the data lines. */
struct doc {
    struct lines head;
    const struct lines *data;
};

static void add_line(struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct lines *l, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return;
        l->v = v;
        l->cap = cap;
    }
    if ((l->v[l->n] = strdup(buf)))
        l->n++;
}

static void stat_lines(const struct node *n, struct lines *l)
{
    const struct zstat *s = &n->stat;
    char ct[32], mt[32];
    if (!(n->flags & NODE_HAS_STAT)) {
        add_line(l, n->flags & NODE_NOAUTH ? "no access" : "reading...");
        return;
    }
    format_time_ms(s->ctime, ct, sizeof ct);
    format_time_ms(s->mtime, mt, sizeof mt);
    add_line(l, "czxid           0x%llx", (unsigned long long)s->czxid);
    add_line(l, "mzxid           0x%llx", (unsigned long long)s->mzxid);
    add_line(l, "pzxid           0x%llx", (unsigned long long)s->pzxid);
    add_line(l, "ctime           %s", ct);
    add_line(l, "mtime           %s", mt);
    add_line(l, "version         %d", s->version);
    add_line(l, "cversion        %d", s->cversion);
    add_line(l, "aversion        %d", s->aversion);
    if (s->ephemeral_owner)
        add_line(l, "ephemeralOwner  0x%llx", (unsigned long long)s->ephemeral_owner);
    else
        add_line(l, "ephemeralOwner  -");
    add_line(l, "dataLength      %d", s->data_length);
    add_line(l, "numChildren     %d", s->num_children);
}

/* A digest entry naming one of zktui's own credentials. */
static bool acl_is_you(struct app *a, const struct acl_entry *e)
{
    const char *const *ids;
    size_t nids = zk_auth_ids(a->zk, &ids);
    if (strcmp(e->scheme, "digest") == 0)
        for (size_t i = 0; i < nids; i++)
            if (strcmp(e->id, ids[i]) == 0)
                return true;
    return false;
}

/* One line per entry, scheme:id then the perms as zkCli writes them. A
 * digest hash the server hid, or zktui's own, shows as words instead:
 * it says nothing to a reader, and the line stays short. */
static void acl_lines(struct app *a, const struct node *n, struct lines *l)
{
    if (!(n->flags & NODE_HAS_ACL)) {
        add_line(l, "ACL             %s", n->flags & NODE_NOAUTH ? "no access" : "reading...");
        return;
    }
    for (int32_t i = 0; i < node_n_acl(n); i++) {
        const struct acl_entry *e = &node_acl(n)[i];
        struct strbuf id = { 0 }, sc = { 0 };
        char perms[6];
        const char *note = acl_entry_hidden(e) ? " (hash hidden: no ADMIN)"
                           : acl_is_you(a, e) ? " (you)" : NULL;
        size_t idlen = strlen(e->id);
        acl_perms_text(e->perms, perms);
        text_sanitize(e->scheme, strlen(e->scheme), &sc);
        if (note) /* the user alone */
            idlen = (size_t)(strchr(e->id, ':') - e->id);
        text_sanitize(e->id, idlen, &id);
        add_line(l, "%-16s%s:%s%s %s", i == 0 ? "ACL" : "", sb_str(&sc), sb_str(&id),
                 note ? note : "", perms);
        sb_free(&id);
        sb_free(&sc);
    }
    if (node_n_acl(n) == 0)
        add_line(l, "ACL             (empty)");
}

static void build_doc(struct app *a, const struct node *n, int cols, struct doc *d)
{
    static const char *const views[] = { "auto", "text", "json", "hex" };
    enum data_kind kind = DATA_EMPTY;
    struct strbuf p = { 0 };
    text_sanitize(n->path, strlen(n->path), &p);
    add_line(&d->head, "%s", sb_str(&p));
    sb_free(&p);
    add_line(&d->head, "%s", "");
    stat_lines(n, &d->head);
    acl_lines(a, n, &d->head);
    add_line(&d->head, "%s", "");
    d->data = data_lines(a, n, cols, &kind);
    if (!(n->flags & NODE_HAS_DATA))
        add_line(&d->head, "data            %s", n->flags & NODE_NOAUTH ? "no access" : "reading...");
    else if (!node_data(n))
        add_line(&d->head, "data            null");
    else
        add_line(&d->head, "data            %d byte%s, %s%s  (v: view %s)", node_data_len(n),
                 node_data_len(n) == 1 ? "" : "s", data_kind_name(kind),
                 a->view == VIEW_JSON && kind != DATA_JSON && kind != DATA_EMPTY ? " (not JSON)" : "",
                 views[a->view]);
}

/* The path, and when it does not fit, "…" and its end: the node's own
 * name matters more than the top of the tree. */
static void draw_path_tail(int y, int x, int w, const char *path)
{
    attr_t at = theme_attr(THEME_DETAIL_PATH);
    const char *tail = path;
    int x2;
    if (w < 2 || text_width(path) <= w) {
        draw_safe(y, x, w, at, path);
        return;
    }
    while (*tail && text_width(tail) > w - 1) {
        tail++;
        while ((*tail & 0xc0) == 0x80) /* to the start of the next character */
            tail++;
    }
    x2 = x + draw_safe(y, x, 1, at, draw_glyph(GLYPH_MORE));
    draw_safe(y, x2, w - (x2 - x), at, tail);
}

static void detail_draw(struct app *a, struct rect r, bool focused)
{
    struct node *n = app_selected(a);
    struct doc d = { { 0 }, NULL };
    size_t total, top;
    (void)focused;
    build_doc(a, n, r.w - 1, &d);
    total = d.head.n + (d.data ? d.data->n : 0);
    a->detail_height = r.h;
    if (a->detail_top + (size_t)r.h > total)
        a->detail_top = total > (size_t)r.h ? total - (size_t)r.h : 0;
    top = a->detail_top;
    for (int y = 0; y < r.h; y++) {
        size_t i = top + (size_t)y;
        draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
        if (i == 0) {
            draw_path_tail(r.y + y, r.x + 1, r.w - 1, d.head.v[0]);
        } else if (i < d.head.n) {
            draw_safe(r.y + y, r.x + 1, r.w - 1, theme_attr(THEME_DETAIL_LABEL), d.head.v[i]);
        } else if (d.data && i - d.head.n < d.data->n) {
            draw_safe(r.y + y, r.x + 1, r.w - 1, theme_attr(THEME_DATA_TEXT),
                      d.data->v[i - d.head.n]);
        }
    }
    lines_free(&d.head);
}

const struct pane_ops pane_detail = { "detail", detail_draw };
