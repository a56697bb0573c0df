/* Finding locks and registries in the store, and the registries' diffs;
 * the lock views themselves are built in lockview.c. See monitor.h. */
#include "monitor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datafmt.h"
#include "monitor_int.h"
#include "path.h"

/* Children of a lock root watched as locks, at most: each costs a watch. */
#define MAX_ROOT_KIDS 1000
/* The look for lock roots and registries by name, without watches: this
 * deep (path depth of the lists read), lists this long at most, this many
 * lists in all per run. */
#define SCAN_DEPTH 3
#define SCAN_MAX_KIDS 1000
#define SCAN_BUDGET 5000

static char **copy_list(char *const *v, size_t n, bool *ok)
{
    char **out = n ? calloc(n, sizeof *out) : NULL;
    if (n && !out)
        *ok = false;
    for (size_t i = 0; out && i < n; i++)
        if (!(out[i] = strdup(v[i])))
            *ok = false;
    return out;
}

bool monitor_init(struct monitor *mo, char *const *lock_roots, size_t n_lock_roots,
                  char *const *service_roots, size_t n_service_roots)
{
    bool ok = true;
    memset(mo, 0, sizeof *mo);
    mo->lock_roots = copy_list(lock_roots, n_lock_roots, &ok);
    mo->n_lock_roots = mo->lock_roots ? n_lock_roots : 0;
    mo->service_roots = copy_list(service_roots, n_service_roots, &ok);
    mo->n_service_roots = mo->service_roots ? n_service_roots : 0;
    mo->hold_warn_ms = 60000;
    mo->max_kids = 10000;
    return ok;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static void member_free(struct reg_member *m)
{
    free(m->name);
    free(m->data);
}

bool monitor_focus(struct monitor *mo, const char *path)
{
    free(mo->focus);
    mo->focus = path ? strdup(path) : NULL;
    return !path || mo->focus;
}

void monitor_free(struct monitor *mo)
{
    free(mo->focus);
    for (size_t i = 0; i < mo->ntoo_big; i++)
        free(mo->too_big[i]);
    free_list(mo->lock_roots, mo->n_lock_roots);
    free_list(mo->service_roots, mo->n_service_roots);
    for (size_t i = 0; i < mo->nlocks; i++)
        lockview_free(&mo->locks[i]);
    free(mo->locks);
    for (size_t i = 0; i < mo->nregs; i++) {
        for (size_t j = 0; j < mo->regs[i].n; j++)
            member_free(&mo->regs[i].m[j]);
        free(mo->regs[i].m);
        free(mo->regs[i].path);
    }
    free(mo->regs);
    memset(mo, 0, sizeof *mo);
}

static bool in_list(char *const *v, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], path) == 0)
            return true;
    return false;
}

bool monitor_is_lock_root(const struct monitor *mo, const struct node *n)
{
    return in_list(mo->lock_roots, mo->n_lock_roots, n->path) || strcmp(n->name, "locks") == 0 ||
           strcmp(n->name, "lock") == 0 || strcmp(n->name, "semaphores") == 0;
}

static bool is_service_root(const struct monitor *mo, const struct node *n)
{
    return in_list(mo->service_roots, mo->n_service_roots, n->path) ||
           strcmp(n->name, "services") == 0 ||
           (n->parent && strcmp(n->parent->name, "services") == 0);
}

void monitor_watch_kids(struct store *s, struct node *n, struct need_list *needs)
{
    (void)s;
    n->flags |= NODE_MONITOR;
    if (!(n->flags & (NODE_WATCH_KIDS | NODE_KIDS_PENDING | NODE_NOAUTH)))
        need_add(needs, NEED_KIDS, n->path);
}

/* Watches the children of every node on the way to path that exists, so
 * that path is seen when it comes, without guessing at nodes not there. */
static void mark_way(struct store *s, const char *path, struct need_list *needs)
{
    struct node *n = s->root;
    char *buf = strdup(path);
    size_t len = 1;
    if (!buf)
        return;
    for (;;) {
        const char *slash;
        monitor_watch_kids(s, n, needs);
        if (path[len - 1] == '/' && path[len] == '\0')
            break; /* "/" itself */
        slash = strchr(path + len, '/');
        len = slash ? (size_t)(slash - path) : strlen(path);
        memcpy(buf, path, len);
        buf[len] = '\0';
        if (!(n = store_get(s, buf)))
            break;
        if (!slash)
            break;
        len++;
    }
    if (n)
        monitor_watch_kids(s, n, needs);
    free(buf);
}

void monitor_roots(struct monitor *mo, struct store *s, struct need_list *needs)
{
    for (size_t i = 0; i < mo->n_lock_roots; i++)
        mark_way(s, mo->lock_roots[i], needs);
    for (size_t i = 0; i < mo->n_service_roots; i++)
        mark_way(s, mo->service_roots[i], needs);
    if (mo->focus)
        mark_way(s, mo->focus, needs);
}

/* ---- registries ---- */

static struct registry *registry_get(struct monitor *mo, const char *path, bool make)
{
    struct registry *r;
    for (size_t i = 0; i < mo->nregs; i++)
        if (strcmp(mo->regs[i].path, path) == 0)
            return &mo->regs[i];
    if (!make)
        return NULL;
    if (mo->nregs == mo->capregs) {
        size_t cap = mo->capregs ? mo->capregs * 2 : 8;
        struct registry *v = realloc(mo->regs, cap * sizeof *v);
        if (!v)
            return NULL;
        mo->regs = v;
        mo->capregs = cap;
    }
    r = &mo->regs[mo->nregs];
    memset(r, 0, sizeof *r);
    if (!(r->path = strdup(path)))
        return NULL;
    mo->nregs++;
    return r;
}

/* Copies what the store knows of a member's node into m. */
static void member_learn(struct reg_member *m, const struct node *n)
{
    struct strbuf b = { 0 };
    size_t len;
    if (!n || !(n->flags & (NODE_HAS_DATA | NODE_NOAUTH)))
        return;
    m->known = true;
    if (!(n->flags & NODE_HAS_DATA))
        return;
    m->owner = n->stat.ephemeral_owner;
    m->ctime = n->stat.ctime;
    m->mzxid = n->stat.mzxid;
    len = (size_t)node_data_len(n);
    text_sanitize(node_data(n) ? node_data(n) : "", len > 64 ? 64 : len, &b);
    free(m->data);
    m->data = b.s ? b.s : strdup("");
}

static void member_event(struct event_log *log, int64_t t, bool online, const char *reg,
                         const struct reg_member *m)
{
    char text[512];
    char owner[24] = "?";
    if (m->known && m->owner)
        snprintf(owner, sizeof owner, "0x%" PRIx64, (uint64_t)m->owner);
    else if (m->known)
        snprintf(owner, sizeof owner, "none");
    snprintf(text, sizeof text, "%s %s%s%s owner %s%s%s", online ? "ONLINE" : "OFFLINE", reg,
             strcmp(reg, "/") == 0 ? "" : "/", m->name, owner,
             m->data && m->data[0] ? " data " : "", m->data ? m->data : "");
    if (log)
        events_add(log, t, online ? EV_ONLINE : EV_OFFLINE, text);
}

/* Leaves and joins between the members last seen and n's children (both
 * sorted by name, byte order). Joins are announced once their data came
 * (monitor_refresh); a member that came and went meanwhile is logged as
 * both. */
static void registry_diff(struct registry *r, const struct node *n, int64_t now,
                          struct event_log *log)
{
    size_t i = 0, k = 0;
    struct kids_iter it;
    const struct node *kid = kids_first(n->kids, &it);
    struct reg_member *v = calloc(n->nkids ? n->nkids : 1, sizeof *v);
    if (!v)
        return;
    while (i < r->n || kid) {
        int c = i == r->n ? 1 : !kid ? -1 : strcmp(r->m[i].name, kid->name);
        if (c == 0) {
            v[k++] = r->m[i++];
            kid = kids_next(&it);
        } else if (c < 0) {
            if (!r->m[i].announced)
                member_event(log, now, true, r->path, &r->m[i]);
            member_event(log, now, false, r->path, &r->m[i]);
            member_free(&r->m[i++]);
        } else {
            if ((v[k].name = strdup(kid->name))) {
                v[k].seen = now;
                v[k].announced = !r->loaded;
                k++;
            }
            kid = kids_next(&it);
        }
    }
    free(r->m);
    r->m = v;
    r->n = r->cap = k;
    r->loaded = true;
}

/* The registry's node went away: everyone left. */
static void registry_gone(struct registry *r, int64_t now, struct event_log *log)
{
    for (size_t i = 0; i < r->n; i++) {
        if (!r->m[i].announced)
            member_event(log, now, true, r->path, &r->m[i]);
        member_event(log, now, false, r->path, &r->m[i]);
        member_free(&r->m[i]);
    }
    r->n = 0;
    r->loaded = false;
}

/* A member that left and came back under the same name while we were away:
 * the diff of the lists cannot see it, its owner can. */
static void member_back(struct event_log *log, int64_t now, const char *reg,
                        const struct reg_member *m, const struct node *c)
{
    char text[512];
    snprintf(text, sizeof text, "ONLINE %s%s%s owner 0x%" PRIx64 " again (was owner 0x%" PRIx64 ")",
             reg, strcmp(reg, "/") == 0 ? "" : "/", m->name, (uint64_t)c->stat.ephemeral_owner,
             (uint64_t)m->owner);
    if (log)
        events_add(log, now, EV_ONLINE, text);
}

static void registry_refresh(struct registry *r, struct store *s, int64_t now,
                             struct event_log *log, struct need_list *needs)
{
    struct node *n = store_get(s, r->path);
    if (!n) {
        registry_gone(r, now, log);
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        struct reg_member *m = &r->m[i];
        struct node *c = path_join_get(s, r->path, m->name);
        bool has = c && (c->flags & NODE_HAS_DATA), rechecked = false;
        if (m->recheck && has) {
            if (m->known && c->stat.ephemeral_owner != m->owner)
                member_back(log, now, r->path, m, c);
            m->recheck = false;
            rechecked = true;
        }
        /* Learn again only what changed: its data, read for the detail
         * pane or after a disconnection. */
        if (!m->known || rechecked || (has && c->stat.mzxid != m->mzxid))
            member_learn(m, c);
        if (c && (!m->known || m->recheck) && !has && !(c->flags & NODE_DATA_PENDING))
            need_add(needs, NEED_INFO, c->path);
        if (m->known && !m->announced) {
            /* Stamped now, not when seen: the log stays in time order. */
            member_event(log, now, true, r->path, m);
            m->announced = true;
        }
    }
}

struct node *path_join_get(struct store *s, const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    struct node *n = p ? store_get(s, p) : NULL;
    free(p);
    return n;
}

/* ---- discovery ---- */

static bool is_watch_name(const struct monitor *mo, const struct node *k)
{
    return monitor_is_lock_root(mo, k) || strcmp(k->name, "services") == 0;
}

/* Reads, once and without a watch, the lists under n down to SCAN_DEPTH, so
 * that lock roots, locks and registries are found wherever they are, not
 * only under what the operator opened. */
static void scan_below(struct monitor *mo, const struct node *n, size_t nseq,
                       struct need_list *needs)
{
    int depth = path_depth(n->path);
    struct kids_iter it;
    size_t flen = mo->focus ? strlen(mo->focus) : 0;
    if (mo->focus && strncmp(n->path, mo->focus, flen) == 0 &&
        (n->path[flen] == '/' || n->path[flen] == '\0'))
        depth -= path_depth(mo->focus);
    if (depth >= SCAN_DEPTH || n->nkids > SCAN_MAX_KIDS || nseq > 0 ||
        strcmp(n->path, "/zookeeper") == 0)
        return;
    for (const struct node *k = kids_first(n->kids, &it); k && mo->scanned < SCAN_BUDGET;
         k = kids_next(&it)) {
        if (k->flags & (NODE_KIDS_LOADED | NODE_KIDS_PENDING | NODE_MONITOR | NODE_NOAUTH))
            continue;
        need_add(needs, NEED_SCAN, k->path);
        mo->scanned++;
    }
}

/* A node with more sequential children than max_kids is not taken for a
 * lock by itself: following it would re-read the whole list at every
 * change (a queue or a member list of 60,000 is 1.4 MB a read). A lock
 * root says otherwise. Said once in the log. */
static bool too_big(struct monitor *mo, const struct node *n, size_t nseq, int64_t now_ms,
                    struct event_log *log)
{
    char text[640];
    if (nseq <= mo->max_kids || monitor_is_lock_root(mo, n) ||
        (n->parent && monitor_is_lock_root(mo, n->parent)) || lockview_followed(mo, n->path))
        return false;
    for (size_t i = 0; i < mo->ntoo_big; i++)
        if (strcmp(mo->too_big[i], n->path) == 0)
            return true;
    if (mo->ntoo_big < sizeof mo->too_big / sizeof mo->too_big[0] &&
        (mo->too_big[mo->ntoo_big] = strdup(n->path)))
        mo->ntoo_big++;
    snprintf(text, sizeof text,
             "%s has %zu sequential children, over max_children (%zu): not followed as a lock "
             "(list it under locks: to follow it)", n->path, nseq, mo->max_kids);
    if (log)
        events_add(log, now_ms, EV_LOCK, text);
    return true;
}

void monitor_children(struct monitor *mo, struct store *s, struct node *n, int64_t now_ms,
                      struct event_log *log, struct need_list *needs)
{
    bool root = monitor_is_lock_root(mo, n);
    size_t nseq = 0, watched = 0;
    struct kids_iter it;
    struct node *q;
    for (struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it)) {
        struct lock_entry e;
        if (lockview_contender(n, k->name, &e)) {
            nseq++;
            continue;
        }
        /* Lock roots and registries are found by name wherever a list
         * names them; every other child of a lock root is a lock. */
        if ((root && watched++ < MAX_ROOT_KIDS) || is_watch_name(mo, k) ||
            (strcmp(n->name, "services") == 0) ||
            (strcmp(k->name, "leases") == 0 && path_join_get(s, n->path, "locks")))
            monitor_watch_kids(s, k, needs);
    }
    /* A registry of ephemeral-sequential members is group membership, not
     * a lock, unless a lock root says it is. */
    if (is_service_root(mo, n) && !monitor_is_lock_root(mo, n) &&
        !(n->parent && monitor_is_lock_root(mo, n->parent)))
        ;
    else if (nseq > 0 && too_big(mo, n, nseq, now_ms, log))
        ;
    else if (nseq > 0 || (n->parent && monitor_is_lock_root(mo, n->parent)) ||
             lockview_is_queue(s, n))
        lockview_find(mo, s, n, needs);
    else if (strcmp(n->name, "leases") == 0 && n->parent &&
             (q = path_join_get(s, n->parent->path, "locks")) && (q->flags & NODE_KIDS_LOADED))
        lockview_find(mo, s, q, needs); /* Curator's semaphore, its queue empty */
    scan_below(mo, n, nseq, needs);
    if (is_service_root(mo, n)) {
        struct registry *r = registry_get(mo, n->path, true);
        if (r) {
            r->configured = in_list(mo->service_roots, mo->n_service_roots, n->path);
            registry_diff(r, n, now_ms, log);
            mo->gen++;
        }
    }
}

void monitor_refresh(struct monitor *mo, struct store *s, int64_t now_ms,
                     struct event_log *log, struct need_list *needs)
{
    if (mo->seen_gen == s->gen && mo->seen_gen != 0)
        return;
    mo->seen_gen = s->gen;
    mo->gen++;
    for (size_t i = 0; i < mo->nregs; i++)
        registry_refresh(&mo->regs[i], s, now_ms, log, needs);
    lockview_refresh_all(mo, s, now_ms, log, needs);
}

void monitor_unsettle(struct monitor *mo, struct store *s)
{
    for (size_t i = 0; i < mo->nlocks; i++) {
        mo->locks[i].exact = false;
        mo->locks[i].sig = 0; /* built again from the list read anew */
    }
    for (size_t i = 0; i < mo->nregs; i++)
        for (size_t j = 0; j < mo->regs[i].n; j++) {
            struct node *c = path_join_get(s, mo->regs[i].path, mo->regs[i].m[j].name);
            mo->regs[i].m[j].recheck = true;
            if (c && !(c->flags & NODE_WATCH_DATA))
                store_forget_data(s, c); /* read it again */
        }
}

bool monitor_keeps_data(const struct monitor *mo, const struct node *n)
{
    const struct node *up = n->parent, *up2 = up ? up->parent : NULL;
    for (size_t i = 0; i < mo->nlocks; i++) {
        const struct lock_view *v = &mo->locks[i];
        /* The lock (a kazoo semaphore's size), its queue, and a
         * semaphore's leases: children of <x> for kazoo, of <x>/leases
         * for Curator. */
        if (strcmp(v->path, n->path) == 0 || (up && strcmp(v->queue_path, up->path) == 0) ||
            (up && strcmp(v->path, up->path) == 0) || (up2 && strcmp(v->path, up2->path) == 0))
            return true;
    }
    for (size_t i = 0; up && i < mo->nregs; i++)
        if (strcmp(mo->regs[i].path, up->path) == 0)
            return true;
    return false;
}

int64_t monitor_server_now(const struct monitor *mo, int64_t now_ms)
{
    return mo->skew_known ? now_ms - mo->skew : now_ms;
}

void monitor_skew_sample(struct monitor *mo, int64_t now_ms, int64_t ctime)
{
    int64_t d = now_ms - ctime;
    if (!mo->skew_known || d < mo->skew) {
        mo->skew = d;
        mo->skew_known = true;
    }
}
