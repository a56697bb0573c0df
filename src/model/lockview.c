/* Lock views: who holds and who waits, built from the store after each
 * batch of replies, with the contention figures kept across batches. See
 * monitor.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_int.h"
#include "path.h"

/* Contenders whose stat and data are read, per lock: the head of a queue
 * is what the panel shows. */
#define MAX_INFO_ROWS 200
#define RATE_WINDOW_MS 60000
#define LOG_BURST 20
#define LOG_WINDOW_MS 10000

static const char kazoo_sem_tag[] = "-__lock__";

void lockview_free(struct lock_view *v)
{
    free(v->path);
    free(v->queue_path);
    free(v->rows);
    for (size_t i = 0; i < v->nheld; i++)
        free(v->held[i].name);
    free(v->held);
    free(v->released);
}

static struct lock_view *view_by_queue(struct monitor *mo, const char *queue_path)
{
    for (size_t i = 0; i < mo->nlocks; i++)
        if (strcmp(mo->locks[i].queue_path, queue_path) == 0)
            return &mo->locks[i];
    return NULL;
}

bool lockview_followed(struct monitor *mo, const char *queue_path)
{
    return view_by_queue(mo, queue_path) != NULL;
}

static struct lock_view *view_add(struct monitor *mo, const char *path, const char *queue_path)
{
    struct lock_view *v;
    if (mo->nlocks == mo->caplocks) {
        size_t cap = mo->caplocks ? mo->caplocks * 2 : 16;
        struct lock_view *nv = realloc(mo->locks, cap * sizeof *nv);
        if (!nv)
            return NULL;
        mo->locks = nv;
        mo->caplocks = cap;
    }
    v = &mo->locks[mo->nlocks];
    memset(v, 0, sizeof *v);
    v->path = strdup(path);
    v->queue_path = strdup(queue_path);
    v->max_leases = -1;
    v->top_seq = -1;
    v->exact = true;
    if (!v->path || !v->queue_path) {
        lockview_free(v);
        return NULL;
    }
    mo->nlocks++;
    return v;
}

/* "<x>-__lock__" next to "<x>": kazoo's semaphore; *base gets "<x>"'s path. */
static bool kazoo_semaphore(struct store *s, const struct node *n, char *base, size_t len)
{
    size_t nl = strlen(n->path), tl = sizeof kazoo_sem_tag - 1;
    if (!n->parent || nl <= tl || nl - tl >= len ||
        strcmp(n->path + nl - tl, kazoo_sem_tag) != 0)
        return false;
    memcpy(base, n->path, nl - tl);
    base[nl - tl] = '\0';
    return store_get(s, base) != NULL;
}

/* Parts of a semaphore that are not locks of their own: Curator's leases
 * (the holders of the view on its parent), and the node holding a
 * semaphore's leases, <x> beside <x>-__lock__ or <x> over locks + leases. */
static bool semaphore_part(struct store *s, const struct node *n)
{
    char buf[4096];
    if (!n->parent)
        return false;
    if (strcmp(n->name, "leases") == 0 && path_join_get(s, n->parent->path, "locks"))
        return true;
    if (path_join_get(s, n->path, "locks") && path_join_get(s, n->path, "leases"))
        return true;
    return (size_t)snprintf(buf, sizeof buf, "%s%s", n->path, kazoo_sem_tag) < sizeof buf &&
           store_get(s, buf) != NULL;
}

/* A semaphore's view replaces a plain one made of the same node before
 * the semaphore's other part was seen. */
static void drop_plain(struct monitor *mo, const char *path)
{
    for (size_t i = 0; i < mo->nlocks; i++)
        if (strcmp(mo->locks[i].path, path) == 0 && strcmp(mo->locks[i].queue_path, path) == 0) {
            lockview_free(&mo->locks[i]);
            mo->locks[i] = mo->locks[--mo->nlocks];
            return;
        }
}

bool lockview_is_queue(struct store *s, const struct node *n)
{
    char base[4096];
    return (strcmp(n->name, "locks") == 0 && n->parent &&
            path_join_get(s, n->parent->path, "leases")) ||
           kazoo_semaphore(s, n, base, sizeof base);
}

void lockview_find(struct monitor *mo, struct store *s, struct node *n, struct need_list *needs)
{
    char base[4096];
    struct lock_view *v = view_by_queue(mo, n->path);
    bool configured = n->parent && monitor_is_lock_root(mo, n->parent);
    if (!v && semaphore_part(s, n))
        return;
    if (!v) {
        if (kazoo_semaphore(s, n, base, sizeof base)) {
            drop_plain(mo, base);
            if ((v = view_add(mo, base, n->path))) {
                v->kind = LK_SEM_KAZOO;
                monitor_watch_kids(s, store_get(s, base), needs);
            }
        } else if (strcmp(n->name, "locks") == 0 && n->parent &&
                   path_join_get(s, n->parent->path, "leases")) {
            drop_plain(mo, n->parent->path);
            if ((v = view_add(mo, n->parent->path, n->path)))
                v->kind = LK_SEM_CURATOR;
        } else
            v = view_add(mo, n->path, n->path);
    }
    if (v && (configured || monitor_is_lock_root(mo, n)))
        v->configured = true;
}

static bool rows_reserve(struct lock_view *v, size_t n)
{
    struct lock_row *r;
    if (n <= v->caprows)
        return true;
    if (!(r = realloc(v->rows, n * sizeof *r)))
        return false;
    v->rows = r;
    v->caprows = n;
    return true;
}

bool lockview_contender(const struct node *q, const char *name, struct lock_entry *e)
{
    if (!lock_parse(name, e))
        return false;
    /* "-000000042" reads as a wrapped counter only where the counter has
     * wrapped (the parent's cversion went negative with it); elsewhere it
     * is a name like build-000000042. */
    return e->seq <= 2147483647LL || ((q->flags & NODE_HAS_STAT) && q->stat.cversion < 0) ||
           e->seq == 2147483648LL;
}

/* Appends n's sequential children in queue order; holds as lock_order says,
 * or as all_hold / none_hold force. */
static void add_queue(struct lock_view *v, struct node *n, int force)
{
    struct lock_entry *e;
    struct kids_iter it;
    size_t k = 0;
    if (!n || n->nkids == 0 || !(e = malloc(n->nkids * sizeof *e)))
        return;
    for (struct node *c = kids_first(n->kids, &it); c; c = kids_next(&it))
        if (lockview_contender(n, c->name, &e[k])) {
            e[k].user = c;
            k++;
        }
    lock_order(e, k);
    if (rows_reserve(v, v->nrows + k)) {
        for (size_t i = 0; i < k; i++) {
            struct lock_row *r = &v->rows[v->nrows++];
            r->node = (struct node *)e[i].user;
            r->seq = e[i].seq;
            r->role = e[i].role;
            r->recipe = e[i].recipe;
            r->holds = force > 0 ? true : force < 0 ? false : e[i].holds;
            if (v->kind == LK_MUTEX &&
                (r->role == LOCK_READ || strstr(r->node->name, "-__WRIT__")))
                v->kind = LK_RW;
        }
    }
    free(e);
}

/* kazoo's semaphore: every child of <x> holds a lease. */
static void add_leases(struct lock_view *v, struct node *n)
{
    struct kids_iter it;
    if (!n || !rows_reserve(v, v->nrows + n->nkids))
        return;
    for (struct node *c = kids_first(n->kids, &it); c; c = kids_next(&it)) {
        struct lock_row *r = &v->rows[v->nrows++];
        r->node = c;
        r->seq = -1;
        r->role = LOCK_WRITE;
        r->recipe = RECIPE_KAZOO;
        r->holds = true;
    }
}

static long parse_max(const struct node *n)
{
    char buf[32];
    char *end;
    long v;
    if (!n || !(n->flags & NODE_HAS_DATA) || !node_data(n) || node_data_len(n) <= 0 ||
        node_data_len(n) >= (int32_t)sizeof buf)
        return -1;
    memcpy(buf, node_data(n), (size_t)node_data_len(n));
    buf[node_data_len(n)] = '\0';
    v = strtol(buf, &end, 10);
    return end != buf && v >= 0 ? v : -1;
}

static int64_t owner_of(const struct lock_row *r)
{
    return (r->node->flags & NODE_HAS_STAT) ? r->node->stat.ephemeral_owner : 0;
}

static void stable_holders_first(struct lock_row *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].holds) {
            struct lock_row h = v[i];
            memmove(&v[k + 1], &v[k], (i - k) * sizeof *v);
            v[k++] = h;
        }
}

/* Curator's semaphore: a client takes the mutex in locks/, makes its
 * lease, and keeps the mutex until its lease is among the first max ones.
 * So a lease whose owner holds the mutex is waiting, not holding (the max
 * itself is client-side, not in ZooKeeper); shown once, with the waiters. */
static void curator_waiting_lease(struct lock_view *v)
{
    size_t leases = 0;
    const struct lock_row *mutex = NULL;
    while (leases < v->nrows && v->rows[leases].holds)
        leases++;
    if (leases < v->nrows)
        mutex = &v->rows[leases]; /* the first in the queue holds the mutex */
    /* Until a new lease's owner is read it cannot be told from a waiting
     * one: not held yet. */
    for (size_t i = 0; i < leases; i++)
        if (!(v->rows[i].node->flags & (NODE_HAS_STAT | NODE_NOAUTH)))
            v->rows[i].holds = false;
    for (size_t i = 0; mutex && i < leases; i++)
        if (owner_of(&v->rows[i]) && owner_of(&v->rows[i]) == owner_of(mutex)) {
            v->rows[i].holds = false;
            /* drop the mutex row: the lease says it all */
            memmove(&v->rows[leases], &v->rows[leases + 1],
                    (v->nrows - leases - 1) * sizeof v->rows[0]);
            v->nrows--;
            break;
        }
    /* Holders first, then the waiting leases, then the queue (stable). */
    stable_holders_first(v->rows, leases);
}

static void build_rows(struct lock_view *v, struct store *s, struct node *q)
{
    struct node *top = store_get(s, v->path);
    v->nrows = 0;
    if (v->kind == LK_SEM_KAZOO) {
        add_leases(v, top);
        add_queue(v, q, -1);
        v->max_leases = parse_max(top);
    } else if (v->kind == LK_SEM_CURATOR) {
        add_queue(v, top ? path_join_get(s, top->path, "leases") : NULL, 1);
        add_queue(v, q, -1);
        curator_waiting_lease(v);
    } else {
        v->kind = LK_MUTEX; /* until a reader shows */
        add_queue(v, q, 0);
    }
    v->nholders = 0;
    for (size_t i = 0; i < v->nrows; i++)
        v->nholders += v->rows[i].holds;
}

static struct lock_holder *held_find(struct lock_view *v, const char *name)
{
    for (size_t i = 0; i < v->nheld; i++)
        if (v->held[i].name && strcmp(v->held[i].name, name) == 0) /* NULL: moved */
            return &v->held[i];
    return NULL;
}

static bool is_set(const struct lock_view *v)
{
    return v->kind != LK_MUTEX;
}

/* Logs a lock's line, at most LOG_BURST per LOG_WINDOW_MS per lock: a lock
 * changing hands many times a second would push every other event out of
 * the ring. The next line logged after a burst says how many were not. */
static void lock_log(struct lock_view *v, int64_t now, struct event_log *log, const char *text)
{
    char buf[768];
    if (!log)
        return;
    if (now - v->log_window >= LOG_WINDOW_MS) {
        v->log_window = now;
        v->log_count = 0;
    }
    if (v->log_count >= LOG_BURST) {
        v->log_dropped++;
        return;
    }
    v->log_count++;
    if (v->log_dropped) {
        snprintf(buf, sizeof buf, "%s (%lu more changes not logged)", text, v->log_dropped);
        v->log_dropped = 0;
        text = buf;
    }
    events_add(log, now, EV_LOCK, text);
}

/* One holder's taking the lock, once its owner is read. A mutex says who
 * held it before; a read/write lock or a semaphore, held by several, says
 * each one that comes and goes. */
static void log_acquired(struct lock_view *v, const struct lock_holder *h, const struct node *n,
                         int64_t now, struct event_log *log)
{
    char text[640], owner[32] = " owner ?";
    if (n && (n->flags & NODE_HAS_STAT))
        snprintf(owner, sizeof owner, " owner 0x%" PRIx64, (uint64_t)n->stat.ephemeral_owner);
    if (is_set(v))
        snprintf(text, sizeof text, "LOCK %s acquired by %s%s", v->path, h->name, owner);
    else
        snprintf(text, sizeof text, "LOCK %s held by %s%s%s%s", v->path, h->name, owner,
                 v->released ? ", was " : "", v->released ? v->released : "");
    lock_log(v, now, log, text);
    v->changes++;
}

static void log_released(struct lock_view *v, struct lock_holder *h, int64_t now,
                         struct event_log *log)
{
    char text[640];
    if (!h->announced)
        log_acquired(v, h, NULL, now, log); /* came and went before it was read */
    if (is_set(v))
        snprintf(text, sizeof text, "LOCK %s released by %s", v->path, h->name);
    else if (v->nholders == 0)
        snprintf(text, sizeof text, "LOCK %s free, was %s", v->path, h->name);
    else
        text[0] = '\0'; /* the next holder's line says "was" */
    if (text[0])
        lock_log(v, now, log, text);
    free(v->released);
    v->released = NULL;
    /* Kept for the next holder's "was", unless the lock fell free between. */
    if (!is_set(v) && v->nholders > 0) {
        v->released = h->name;
        h->name = NULL;
    }
}

/* Diffs the holders now against the ones before: who took the lock (since
 * now, if the list is current; unknown if it already held when first seen
 * or the change fell in a disconnection) and who let go. */
static void track_holders(struct lock_view *v, int64_t now, bool primed, struct event_log *log)
{
    struct lock_holder *cur = calloc(v->nholders ? v->nholders : 1, sizeof *cur);
    size_t k = 0;
    if (!cur)
        return;
    for (size_t i = 0; i < v->nrows; i++) {
        struct lock_holder *old;
        if (!v->rows[i].holds)
            continue;
        if ((old = held_find(v, v->rows[i].node->name))) {
            cur[k] = *old;
            old->name = NULL; /* moved */
        } else if ((cur[k].name = strdup(v->rows[i].node->name))) {
            cur[k].since = primed && v->exact ? now : 0;
            cur[k].announced = !primed;
        } else
            continue;
        k++;
    }
    for (size_t i = 0; i < v->nheld; i++)
        if (v->held[i].name)
            log_released(v, &v->held[i], now, log);
    for (size_t i = 0; i < v->nheld; i++)
        free(v->held[i].name);
    free(v->held);
    v->held = cur;
    v->nheld = v->capheld = k;
    for (size_t i = 0, j = 0; i < v->nrows && j < k; i++) {
        const struct node *n = v->rows[i].node;
        if (!v->rows[i].holds)
            continue;
        if (!cur[j].announced && (n->flags & (NODE_HAS_STAT | NODE_NOAUTH))) {
            log_acquired(v, &cur[j], n, now, log);
            cur[j].announced = true;
        }
        j++;
    }
}

/* One sample a second of the highest number and the queue's length; q is
 * NULL when its list has not changed since the highest was taken. */
static void track_rate(struct lock_view *v, const struct node *q, int64_t now)
{
    struct lock_entry e;
    struct kids_iter it;
    for (const struct node *c = q ? kids_first(q->kids, &it) : NULL; c; c = kids_next(&it))
        if (lockview_contender(q, c->name, &e) && e.seq > v->top_seq)
            v->top_seq = e.seq;
    if (v->top_seq < 0 || (v->nrate && now - v->rate[v->nrate - 1].t < 1000))
        return;
    if (v->nrate == LOCK_RATE_SAMPLES) {
        memmove(v->rate, v->rate + 1, (LOCK_RATE_SAMPLES - 1) * sizeof v->rate[0]);
        v->nrate--;
    }
    v->rate[v->nrate].t = now;
    v->rate[v->nrate].seq = v->top_seq;
    v->rate[v->nrate].n = v->nrows;
    v->nrate++;
    /* Keep one sample at or before the window's start as the baseline. */
    while (v->nrate >= 2 && v->rate[1].t <= now - RATE_WINDOW_MS) {
        memmove(v->rate, v->rate + 1, (v->nrate - 1) * sizeof v->rate[0]);
        v->nrate--;
    }
}

/* Contenders that came into the queue while we watched give the clock
 * skew (the queue's own counter only: a semaphore's leases count apart). */
static void track_skew(struct monitor *mo, struct lock_view *v, const struct node *q,
                       int64_t now, bool primed)
{
    for (size_t i = 0; i < v->nrows; i++) {
        const struct lock_row *r = &v->rows[i];
        if (r->seq < 0 || r->seq <= v->skew_seq || r->node->parent != q)
            continue;
        if (primed) {
            if (!(r->node->flags & NODE_HAS_STAT))
                break; /* sample it when its stat has come */
            monitor_skew_sample(mo, now, r->node->stat.ctime);
        }
        v->skew_seq = r->seq;
    }
}

static void ask_info(struct lock_view *v, struct store *s, struct need_list *needs)
{
    size_t asked = 0;
    struct node *top = store_get(s, v->path);
    if (v->kind == LK_SEM_KAZOO && top && !(top->flags & (NODE_HAS_DATA | NODE_DATA_PENDING)))
        need_add(needs, NEED_INFO, top->path);
    for (size_t i = 0; i < v->nrows && asked < MAX_INFO_ROWS; i++, asked++) {
        struct node *n = v->rows[i].node;
        if (!(n->flags & (NODE_HAS_DATA | NODE_DATA_PENDING | NODE_NOAUTH)))
            need_add(needs, NEED_INFO, n->path);
    }
}

static bool any_ephemeral(const struct lock_view *v)
{
    for (size_t i = 0; i < v->nrows; i++)
        if ((v->rows[i].node->flags & NODE_HAS_STAT) && v->rows[i].node->stat.ephemeral_owner)
            return true;
    return false;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 1099511628211ull; /* FNV-1a, a word at a time */
}

/* What of n (and its children) the rows are made of: the list (as node
 * pointers: a child replaced is a new node), the flags and owners the
 * holders depend on, and the data a semaphore's limit is read from. */
static uint64_t node_sig(uint64_t h, const struct node *n)
{
    struct kids_iter it;
    const uint32_t seen = NODE_HAS_STAT | NODE_HAS_DATA | NODE_NOAUTH;
    h = mix(h, (uintptr_t)n);
    if (!n)
        return h;
    h = mix(h, n->flags & (seen | NODE_KIDS_LOADED | NODE_KIDS_PENDING | NODE_WATCH_KIDS));
    h = mix(h, ((uint64_t)(uint32_t)n->stat.cversion << 32) | (uint32_t)n->stat.version);
    h = mix(h, n->nkids);
    for (const struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it)) {
        h = mix(h, (uintptr_t)k);
        h = mix(h, (k->flags & seen) ^ (uint64_t)k->stat.ephemeral_owner);
    }
    return h;
}

/* Rows are rebuilt (parsed, sorted) only when what they are made of
 * changed: the store changes for many reasons, and a queue of 60,000 took
 * 10 ms to rebuild at every change anywhere. */
static uint64_t view_sig(struct lock_view *v, struct store *s, struct node *top, struct node *q)
{
    uint64_t h = node_sig(1469598103934665603ull, q);
    if (top != q)
        h = node_sig(h, top);
    if (v->kind == LK_SEM_CURATOR && top)
        h = node_sig(h, path_join_get(s, top->path, "leases"));
    return h ? h : 1;
}

/* False when the lock's node is gone. */
static bool view_refresh(struct monitor *mo, struct lock_view *v, struct store *s, int64_t now,
                         struct event_log *log, struct need_list *needs)
{
    struct node *q = store_get(s, v->queue_path), *top = store_get(s, v->path);
    bool primed = v->primed, changed;
    uint64_t sig;
    size_t waiting;
    if (!q || !top)
        return false;
    sig = view_sig(v, s, top, q);
    changed = sig != v->sig;
    if (changed) {
        build_rows(v, s, q);
        v->sig = sig;
        v->builds++;
        v->shown = v->configured || v->kind == LK_SEM_KAZOO || v->kind == LK_SEM_CURATOR ||
                   any_ephemeral(v);
        waiting = v->nrows - v->nholders;
        if (waiting > v->waiting_max)
            v->waiting_max = waiting;
        track_holders(v, now, primed, log);
    }
    if (v->shown)
        q->flags |= NODE_MONITOR; /* keep following it when the tree closes */
    track_rate(v, changed ? q : NULL, now);
    track_skew(mo, v, q, now, primed);
    ask_info(v, s, needs);
    v->primed = q->flags & NODE_KIDS_LOADED;
    /* Exact again once the list is read after a disconnection. */
    if (!(q->flags & NODE_KIDS_PENDING) && (q->flags & NODE_WATCH_KIDS))
        v->exact = true;
    v->stuck = false;
    for (size_t i = 0; i < v->nholders && i < v->nrows; i++) {
        bool upper;
        if (v->rows[i].holds && lock_row_age(mo, v, i, now, &upper) >= mo->hold_warn_ms)
            v->stuck = true;
    }
    return true;
}

/* A stuck holder first, then the most seen waiting at once, then by path:
 * an order that does not jump with every arrival. */
static int by_contention(const void *pa, const void *pb)
{
    const struct lock_view *a = pa, *b = pb;
    if (a->shown != b->shown)
        return a->shown ? -1 : 1;
    if (a->stuck != b->stuck)
        return a->stuck ? -1 : 1;
    if (a->waiting_max != b->waiting_max)
        return a->waiting_max > b->waiting_max ? -1 : 1;
    return strcmp(a->path, b->path);
}

void lockview_refresh_all(struct monitor *mo, struct store *s, int64_t now_ms,
                          struct event_log *log, struct need_list *needs)
{
    size_t k = 0;
    for (size_t i = 0; i < mo->nlocks; i++) {
        if (view_refresh(mo, &mo->locks[i], s, now_ms, log, needs))
            mo->locks[k++] = mo->locks[i];
        else
            lockview_free(&mo->locks[i]);
    }
    mo->nlocks = k;
    if (mo->nlocks > 1)
        qsort(mo->locks, mo->nlocks, sizeof *mo->locks, by_contention);
}

size_t lock_waiting(const struct lock_view *v)
{
    return v->nrows - v->nholders;
}

int64_t lock_row_age(const struct monitor *mo, const struct lock_view *v, size_t i,
                     int64_t now_ms, bool *upper)
{
    const struct lock_row *r = &v->rows[i];
    int64_t age;
    *upper = false;
    if (r->holds) {
        for (size_t j = 0; j < v->nheld; j++)
            if (v->held[j].since && strcmp(v->held[j].name, r->node->name) == 0)
                return now_ms - v->held[j].since;
    }
    if (!(r->node->flags & NODE_HAS_STAT))
        return -1;
    age = monitor_server_now(mo, now_ms) - r->node->stat.ctime;
    /* A lease holder got what it queued for when its lease was made; any
     * other holder has held for at most its age. */
    *upper = r->holds && r->seq >= 0 && v->kind != LK_SEM_CURATOR;
    return age < 0 ? 0 : age;
}

int64_t lock_longest_wait(const struct monitor *mo, const struct lock_view *v, int64_t now_ms)
{
    int64_t worst = -1;
    for (size_t i = 0; i < v->nrows; i++) {
        bool upper;
        int64_t a;
        if (v->rows[i].holds)
            continue;
        a = lock_row_age(mo, v, i, now_ms, &upper);
        if (a > worst)
            worst = a;
    }
    return worst;
}

double lock_rate(const struct lock_view *v, int64_t now_ms)
{
    int64_t span;
    long long done;
    if (v->nrate == 0)
        return -1;
    span = now_ms - v->rate[0].t;
    if (span < 5000)
        return -1;
    /* Those that queued, less those still queued. */
    done = (v->top_seq - v->rate[0].seq) - ((long long)v->nrows - (long long)v->rate[0].n);
    return done < 0 ? 0 : (double)done / ((double)span / 60000.0);
}

const struct lock_view *monitor_lock(const struct monitor *mo, const char *path)
{
    for (size_t i = 0; i < mo->nlocks; i++)
        if (strcmp(mo->locks[i].path, path) == 0)
            return &mo->locks[i];
    return NULL;
}

const char *lock_kind_name(enum lock_kind k)
{
    switch (k) {
    case LK_RW:
        return "read/write";
    case LK_SEM_KAZOO:
    case LK_SEM_CURATOR:
        return "semaphore";
    case LK_MUTEX:
        break;
    }
    return "mutex";
}
