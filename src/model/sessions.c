/* See sessions.h. The `cons` lines read here are the ZooKeeper 3.8
 * server's; tests/unit/test_sessions.c holds real ones. */
#include "sessions.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading cons ----------------------------------------------------------- */

/* What the server answers instead of running a word missing from
 * 4lw.commands.whitelist, and instead of one while it has no quorum. */
#define NOT_WHITELISTED "is not executed because it is not in the whitelist"
#define NOT_SERVING "This ZooKeeper instance is not currently serving requests"

static bool contains(const char *text, size_t len, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= len; i++)
        if (memcmp(text + i, word, k) == 0)
            return true;
    return false;
}

/* A value as a NUL-terminated copy (long values are not ours: cut). */
static void value_copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static long long value_ll(const char *v)
{
    char *end;
    long long x;
    if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
        return (long long)strtoull(v + 2, &end, 16);
    x = strtoll(v, &end, 10);
    return x;
}

/* "3", "3.25", "-1": without strtod, whose decimal point is the locale's. */
static double value_decimal(const char *v)
{
    double whole = 0, frac = 0, scale = 1;
    bool neg = *v == '-';
    if (neg)
        v++;
    for (; *v >= '0' && *v <= '9'; v++)
        whole = whole * 10 + (*v - '0');
    if (*v == '.')
        for (v++; *v >= '0' && *v <= '9'; v++) {
            scale /= 10;
            frac += (*v - '0') * scale;
        }
    return neg ? -(whole + frac) : whole + frac;
}

static void field_set(struct cons_conn *c, const char *key, size_t klen, const char *val)
{
    static const struct {
        const char *key;
        size_t off;
    } ll[] = {
        { "queued", offsetof(struct cons_conn, queued) },
        { "recved", offsetof(struct cons_conn, recved) },
        { "sent", offsetof(struct cons_conn, sent) },
        { "to", offsetof(struct cons_conn, to) },
        { "lzxid", offsetof(struct cons_conn, lzxid) },
        { "llat", offsetof(struct cons_conn, llat) },
        { "minlat", offsetof(struct cons_conn, minlat) },
        { "maxlat", offsetof(struct cons_conn, maxlat) },
    };
#define KEY_IS(k) (klen == strlen(k) && memcmp(key, k, klen) == 0)
    if (KEY_IS("sid"))
        c->sid = (int64_t)value_ll(val);
    else if (KEY_IS("est"))
        c->est = (int64_t)value_ll(val);
    else if (KEY_IS("lop"))
        value_copy(c->lop, sizeof c->lop, val, strlen(val));
    else if (KEY_IS("avglat"))
        c->avglat = value_decimal(val);
    else
        for (size_t i = 0; i < sizeof ll / sizeof ll[0]; i++)
            if (KEY_IS(ll[i].key)) {
                *(long long *)(void *)((char *)c + ll[i].off) = value_ll(val);
                return;
            }
#undef KEY_IS
}

bool cons_client_normalize(const char *addr, size_t len, char *out, size_t cap)
{
    const char *end = addr + len, *host, *hend, *port, *slash = NULL;
    char h[64], norm[INET6_ADDRSTRLEN];
    struct in6_addr a6;
    bool v6;
    for (const char *p = addr; p < end; p++)
        if (*p == '/')
            slash = p;
    host = slash ? slash + 1 : addr;
    if (host < end && *host == '[') {
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend || hend + 1 >= end || hend[1] != ':')
            goto bad;
        port = hend + 2;
        host++;
        v6 = true;
    } else {
        const char *colon = NULL;
        for (const char *p = host; p < end; p++)
            if (*p == ':')
                colon = p;
        if (!colon)
            goto bad;
        hend = colon;
        port = colon + 1;
        v6 = memchr(host, ':', (size_t)(hend - host)) != NULL;
    }
    if (port == end || hend == host || (size_t)(hend - host) >= sizeof h)
        goto bad;
    for (const char *p = port; p < end; p++)
        if (*p < '0' || *p > '9')
            goto bad;
    value_copy(h, sizeof h, host, (size_t)(hend - host));
    /* Java writes IPv6 in full ("0:0:0:0:0:0:0:1"): the short form reads. */
    if (v6 && inet_pton(AF_INET6, h, &a6) == 1 && inet_ntop(AF_INET6, &a6, norm, sizeof norm))
        snprintf(h, sizeof h, "%s", norm);
    snprintf(out, cap, v6 ? "[%s]:%.*s" : "%s:%.*s", h, (int)(end - port), port);
    return true;
bad:
    value_copy(out, cap, addr, len);
    return false;
}

bool cons_parse_line(const char *line, size_t len, struct cons_conn *c)
{
    const char *end = line + len, *open, *ops, *p;
    memset(c, 0, sizeof *c);
    while (line < end && (*line == ' ' || *line == '\t'))
        line++;
    while (end > line && (end[-1] == '\r' || end[-1] == ' '))
        end--;
    open = memchr(line, '(', (size_t)(end - line));
    if (!open || end[-1] != ')' || open - line < 4 || open[-1] != ']')
        return false;
    /* "addr[1](": the interest ops in brackets just before the paren. */
    for (ops = open - 2; ops > line && *ops >= '0' && *ops <= '9'; ops--)
        ;
    if (*ops != '[' || ops == open - 2 || ops == line)
        return false;
    if (!cons_client_normalize(line, (size_t)(ops - line), c->client, sizeof c->client))
        return false;
    for (p = open + 1; p < end - 1;) {
        const char *comma = memchr(p, ',', (size_t)(end - 1 - p));
        const char *fend = comma ? comma : end - 1, *eq = memchr(p, '=', (size_t)(fend - p));
        char val[64];
        if (eq) {
            value_copy(val, sizeof val, eq + 1, (size_t)(fend - eq - 1));
            field_set(c, p, (size_t)(eq - p), val);
        }
        p = fend + 1;
    }
    return true;
}

void cons_answer_free(struct cons_answer *a)
{
    free(a->v);
    memset(a, 0, sizeof *a);
    a->status = CONS_BAD;
}

enum cons_status cons_parse(const char *text, size_t len, struct cons_answer *out)
{
    const char *p = text, *end = text + len;
    size_t cap = 0;
    memset(out, 0, sizeof *out);
    if (contains(text, len, NOT_WHITELISTED))
        return out->status = CONS_NOT_ALLOWED;
    if (contains(text, len, NOT_SERVING))
        return out->status = CONS_NOT_SERVING;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        struct cons_conn c;
        if (!nl)
            break; /* cut short: not a whole line */
        if (cons_parse_line(p, (size_t)(nl - p), &c)) {
            out->lines++;
            if (c.sid != 0) {
                if (out->n == cap) {
                    size_t ncap = cap ? cap * 2 : 16;
                    struct cons_conn *v = realloc(out->v, ncap * sizeof *v);
                    if (!v)
                        break; /* what was read is still worth showing */
                    out->v = v;
                    cap = ncap;
                }
                out->v[out->n++] = c;
            }
        }
        p = nl + 1;
    }
    return out->status = out->lines ? CONS_OK : CONS_BAD;
}

const struct cons_conn *cons_find(const struct cons_server *v, size_t n, int64_t sid,
                                  size_t *server)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].state != CONS_ANSWERED)
            continue;
        for (size_t j = 0; j < v[i].ans.n; j++)
            if (v[i].ans.v[j].sid == sid) {
                if (server)
                    *server = i;
                return &v[i].ans.v[j];
            }
    }
    return NULL;
}

/* ---- grouping --------------------------------------------------------------- */

/* A lock contender's node, to find its lock by the node's address. */
struct lock_ref {
    uintptr_t node;
    const struct lock_view *v;
    bool holds;
};

static int ref_cmp(const void *x, const void *y)
{
    const struct lock_ref *a = x, *b = y;
    return a->node < b->node ? -1 : a->node > b->node;
}

static struct lock_ref *lock_refs(const struct monitor *mo, size_t *n)
{
    size_t total = 0, k = 0;
    struct lock_ref *v;
    for (size_t i = 0; i < mo->nlocks; i++)
        total += mo->locks[i].nrows;
    *n = 0;
    if (!total || !(v = malloc(total * sizeof *v)))
        return NULL;
    for (size_t i = 0; i < mo->nlocks; i++)
        for (size_t j = 0; j < mo->locks[i].nrows; j++)
            v[k++] = (struct lock_ref){ (uintptr_t)mo->locks[i].rows[j].node, &mo->locks[i],
                                        mo->locks[i].rows[j].holds };
    if (k)
        qsort(v, k, sizeof *v, ref_cmp);
    *n = k;
    return v;
}

static void entry_roles(struct sess_entry *e, const struct monitor *mo,
                        const struct lock_ref *refs, size_t nrefs)
{
    struct lock_ref key = { (uintptr_t)e->node, NULL, false };
    const struct lock_ref *r = nrefs ? bsearch(&key, refs, nrefs, sizeof *refs, ref_cmp) : NULL;
    if (r) {
        e->lock = r->v;
        e->holds = r->holds;
        return;
    }
    for (size_t i = 0; e->node->parent && i < mo->nregs; i++)
        if (strcmp(mo->regs[i].path, e->node->parent->path) == 0) {
            e->reg = &mo->regs[i];
            return;
        }
}

/* Current: its parent's child list is watched, so were it gone, the store
 * would have dropped it. */
static bool current(const struct node *n)
{
    const uint32_t live = NODE_WATCH_KIDS | NODE_KIDS_LOADED;
    return n->parent && (n->parent->flags & live) == live && (n->flags & NODE_HAS_STAT);
}

static int entry_cmp(const void *x, const void *y)
{
    const struct sess_entry *a = x, *b = y;
    int64_t sa = a->node->stat.ephemeral_owner, sb = b->node->stat.ephemeral_owner;
    if (sa != sb)
        return (uint64_t)sa < (uint64_t)sb ? -1 : 1;
    return strcmp(a->node->path, b->node->path);
}

static int group_cmp(const void *x, const void *y)
{
    const struct sess_group *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    if (a->oldest != b->oldest)
        return a->oldest < b->oldest ? -1 : 1;
    return (uint64_t)a->sid < (uint64_t)b->sid ? -1 : (uint64_t)a->sid > (uint64_t)b->sid;
}

static bool push_entry(struct sess_list *l, struct node *n)
{
    if (l->ne == l->cape) {
        size_t cap = l->cape ? l->cape * 2 : 64;
        struct sess_entry *e = realloc(l->e, cap * sizeof *e);
        if (!e)
            return false;
        l->e = e;
        l->cape = cap;
    }
    l->e[l->ne++] = (struct sess_entry){ .node = n };
    return true;
}

static bool push_group(struct sess_list *l, int64_t sid, size_t first)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct sess_group *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct sess_group){ .sid = sid, .e = l->e + first };
    return true;
}

bool sessions_build(struct sess_list *l, const struct store *s, const struct monitor *mo,
                    int64_t own_sid)
{
    size_t nrefs;
    struct lock_ref *refs;
    l->ne = l->n = l->read = 0;
    for (size_t b = 0; b < s->nbuckets; b++)
        for (struct node *n = s->buckets[b]; n; n = n->hnext) {
            if (!current(n))
                continue;
            l->read++;
            if (n->stat.ephemeral_owner != 0 && !push_entry(l, n)) {
                l->ne = l->read = 0;
                return false;
            }
        }
    if (l->ne == 0)
        return true; /* and qsort must not be given NULL */
    qsort(l->e, l->ne, sizeof *l->e, entry_cmp);
    refs = lock_refs(mo, &nrefs);
    for (size_t i = 0; i < l->ne; i++) {
        struct sess_entry *e = &l->e[i];
        int64_t sid = e->node->stat.ephemeral_owner;
        struct sess_group *g;
        if ((i == 0 || l->e[i - 1].node->stat.ephemeral_owner != sid) && !push_group(l, sid, i)) {
            free(refs);
            l->ne = l->n = l->read = 0;
            return false;
        }
        g = &l->v[l->n - 1];
        if (g->n == 0 || e->node->stat.ctime < g->oldest)
            g->oldest = e->node->stat.ctime;
        g->n++;
        g->own = sid == own_sid;
        entry_roles(e, mo, refs, nrefs);
    }
    free(refs);
    qsort(l->v, l->n, sizeof *l->v, group_cmp);
    return true;
}

void sessions_free(struct sess_list *l)
{
    free(l->e);
    free(l->v);
    memset(l, 0, sizeof *l);
}

const struct sess_group *sessions_find(const struct sess_list *l, int64_t sid)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].sid == sid)
            return &l->v[i];
    return NULL;
}

void sess_entry_role(const struct sess_entry *e, char *buf, size_t len)
{
    if (e->lock)
        snprintf(buf, len, "%s %s", e->holds ? "holder of" : "waiting for", e->lock->path);
    else if (e->reg)
        snprintf(buf, len, "member of %s", e->reg->path);
    else if (len)
        buf[0] = '\0';
}

void sess_group_roles(const struct sess_group *g, char *buf, size_t len)
{
    size_t used = 0, other = 0, cut = 0;
    char role[600], tail[64];
    if (!len)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < g->n; i++) {
        bool seen = false;
        sess_entry_role(&g->e[i], role, sizeof role);
        if (!role[0]) {
            other++;
            continue;
        }
        for (size_t j = 0; j < i && !seen; j++)
            seen = g->e[j].lock == g->e[i].lock && g->e[j].holds == g->e[i].holds &&
                   g->e[j].reg == g->e[i].reg;
        if (seen)
            continue;
        /* Room kept for ", and N more". */
        if (cut || used + strlen(role) + 2 + 24 > len) {
            cut++;
            continue;
        }
        used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", role);
    }
    tail[0] = '\0';
    if (cut)
        snprintf(tail, sizeof tail, "%sand %zu more", used ? ", " : "", cut);
    else if (other)
        snprintf(tail, sizeof tail, "%s%zu other node%s", used ? ", " : "", other,
                 other == 1 ? "" : "s");
    if (used + strlen(tail) < len)
        memcpy(buf + used, tail, strlen(tail) + 1);
}
