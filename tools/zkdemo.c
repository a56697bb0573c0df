/* zkdemo: a workload to watch in zktui — service members coming and going,
 * lock queues moving, semaphores handing out leases.
 *
 *   zkdemo -s HOST:PORT[,...] [-t SECONDS] [-q]
 *
 * Every actor (a member, a lock contender, a semaphore client) has its own
 * session and its own thread using the client's synchronous calls, so each
 * ephemeral has its own ephemeralOwner, as with separate processes. An
 * actor whose session fails (expiry, lost connection, any error) closes it
 * and starts over with a new one.
 *
 * Runs for -t seconds (default 900; 0: until stopped); INT, TERM or HUP
 * stop it sooner. Either way every thread stops, every session is closed
 * (its ephemerals go at once) and the exit status is 0. Bad arguments: one
 * line on stderr, exit 2. No server at the start (none connected within
 * 10 s): one line, exit 1.
 *
 * stdout: one line per event, "HH:MM:SS ACTOR EVENT PATH", the events
 * being joined/left (members), holds/released (locks and leases) and
 * "starts over" (a failed session); -q: nothing. Nothing else reaches the
 * terminal — the client's log goes to /dev/null — as zkdemo runs in the
 * background beside a TUI.
 *
 * The tree (parents persistent, created when missing; N a 10-digit
 * sequence number, UUID random hex, ID the actor's name + "@demo"):
 *
 *   /servers/server1..4           members: {"host":"10.0.0.N","port":8080}
 *   /locks/orders/seq-N           hand-written mutex, 4 contenders
 *   /locks/billing/lock_id_N      hand-written mutex, 2 contenders
 *   /locks/jobs/UUID__lock__N     kazoo Lock, 3 contenders, data ID
 *   /locks/catalog/UUID__rlock__N, UUID__lock__N
 *                                 kazoo ReadLock/WriteLock, 3 + 2
 *   /locks/payments/_c_UUID-lock-N
 *                                 Curator InterProcessMutex, 3
 *   /locks/inventory/_c_UUID-__READ__N, _c_UUID-__WRIT__N
 *                                 Curator InterProcessReadWriteLock, 2 + 2
 *   /locks/reports/seq-N          stuck: 3 contenders that never let go,
 *                                 so the first holds all run, 2 wait
 *   /semaphores/pool              kazoo Semaphore, data "2" (max leases);
 *     /semaphores/pool-__lock__/UUID__lock__N   its lock,
 *     /semaphores/pool/UUID       its leases (not sequential), 4 clients
 *   /semaphores/leases            Curator InterProcessSemaphoreV2, max 2:
 *     /semaphores/leases/locks/_c_UUID-lock-N   its mutex,
 *     /semaphores/leases/leases/_c_UUID-lease-N its leases, 3 clients
 *
 * Every contender node's data is ID. Timings are in the table below. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zookeeper/zookeeper.h>

#define SESSION_MS 10000
#define CONNECT_MS 10000
#define RECHECK_MS 500 /* under every watch: a watch lost with a connection */
#define RETRY_MS 1000  /* between a failed session and the next */
#define FOREVER (-1)
#define ZPATH 512 /* every path here is far shorter */
#define ID_SIZE 48
#define POOL_MAX 2   /* kazoo Semaphore: also the data of its node */
#define LEASES_MAX 2 /* Curator InterProcessSemaphoreV2 */
#define STR_(x) #x
#define STR(x) STR_(x)

static const char *hosts;
static bool quiet;
static atomic_bool stopping;

/* ---- the actors -------------------------------------------------------------- */

/* How a recipe names its contender nodes: an id, then a tag; ZooKeeper
 * appends the sequence number. A reader's tag says it reads. */
enum id_form { ID_NONE, ID_HEX, ID_CURATOR };

struct naming {
    enum id_form id;
    const char *tag;
    bool reader;
};

static const struct naming PLAIN_SEQ = {ID_NONE, "seq-", false};
static const struct naming PLAIN_LOCK_ID = {ID_NONE, "lock_id_", false};
static const struct naming KAZOO_LOCK = {ID_HEX, "__lock__", false};
static const struct naming KAZOO_RLOCK = {ID_HEX, "__rlock__", true};
static const struct naming CURATOR_LOCK = {ID_CURATOR, "-lock-", false};
static const struct naming CURATOR_READ = {ID_CURATOR, "-__READ__", true};
static const struct naming CURATOR_WRITE = {ID_CURATOR, "-__WRIT__", false};
static const struct naming CURATOR_LEASE = {ID_CURATOR, "-lease-", false};

struct actor;

struct kind {
    const char *group;           /* actor names: group + number */
    int first, count;            /* numbers first .. first + count - 1 */
    int (*run)(struct actor *a); /* one session's work: see actor_main */
    const char *dir;
    const struct naming *naming; /* lock contenders' */
    int hold_min, hold_max;      /* ms online, or holding a lock or lease */
    int pause_min, pause_max;    /* ms offline, or between turns */
};

struct actor {
    const struct kind *kind;
    char name[32];
    int number;
    uint64_t rng;
    pthread_t thread;
    zhandle_t *zh;
    pthread_mutex_t mu; /* guards what watch_cb writes: */
    pthread_cond_t cv;
    int state;  /* the session's, from its last event */
    bool fired; /* a watch fired since the actor armed one */
};

static int member_run(struct actor *a);
static int lock_run(struct actor *a);
static int pool_run(struct actor *a);
static int leases_run(struct actor *a);

/* clang-format off */
static const struct kind kinds[] = {
    /* group            first n  run         dir                   naming          hold ms       pause ms */
    {"server",            1, 2, member_run, "/servers",           NULL,           8000, 30000,  2000, 5000},
    {"server",            3, 1, member_run, "/servers",           NULL,           4000,  7000,  2000, 5000},
    {"server",            4, 1, member_run, "/servers",           NULL,           8000, 30000,  2000, 5000},
    {"orders-",           1, 4, lock_run,   "/locks/orders",      &PLAIN_SEQ,     1000,  4000,   300, 2000},
    {"billing-",          1, 2, lock_run,   "/locks/billing",     &PLAIN_LOCK_ID, 3000,  6000,   300, 2000},
    {"jobs-",             1, 3, lock_run,   "/locks/jobs",        &KAZOO_LOCK,    1000,  4000,   300, 2000},
    {"catalog-reader-",   1, 3, lock_run,   "/locks/catalog",     &KAZOO_RLOCK,   1000,  4000,   300, 2000},
    {"catalog-writer-",   1, 2, lock_run,   "/locks/catalog",     &KAZOO_LOCK,    1000,  4000,   300, 2000},
    {"payments-",         1, 3, lock_run,   "/locks/payments",    &CURATOR_LOCK,  1000,  4000,   300, 2000},
    {"inventory-reader-", 1, 2, lock_run,   "/locks/inventory",   &CURATOR_READ,  1000,  4000,   300, 2000},
    {"inventory-writer-", 1, 2, lock_run,   "/locks/inventory",   &CURATOR_WRITE, 1000,  4000,   300, 2000},
    {"reports-",          1, 3, lock_run,   "/locks/reports",     &PLAIN_SEQ,  FOREVER, FOREVER,     0,    0},
    {"pool-",             1, 4, pool_run,   "/semaphores/pool",   NULL,           2000,  5000,   300, 2000},
    {"leases-",           1, 3, leases_run, "/semaphores/leases", NULL,           2000,  5000,   300, 2000},
};
/* clang-format on */

/* The persistent nodes the actors need, parents first. */
static const struct parent {
    const char *path, *data;
} parents[] = {
    {"/servers", NULL},
    {"/locks", NULL},
    {"/locks/orders", NULL},
    {"/locks/billing", NULL},
    {"/locks/jobs", NULL},
    {"/locks/catalog", NULL},
    {"/locks/payments", NULL},
    {"/locks/inventory", NULL},
    {"/locks/reports", NULL},
    {"/semaphores", NULL},
    {"/semaphores/pool", STR(POOL_MAX)},
    {"/semaphores/pool-__lock__", NULL},
    {"/semaphores/leases", NULL},
    {"/semaphores/leases/locks", NULL},
    {"/semaphores/leases/leases", NULL},
};

/* ---- randomness and output ---------------------------------------------------- */

/* splitmix64: small, and each actor has its own state, so no locking. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A time in ms between lo and hi; FOREVER stays FOREVER. */
static long between(struct actor *a, int lo, int hi)
{
    if (lo < 0)
        return FOREVER;
    return lo + (long)(rng_next(&a->rng) % (uint64_t)(hi - lo + 1));
}

/* out gets a fresh id in the given form: "" (ID_NONE), 32 hex digits like
 * kazoo's uuid4().hex, or Curator's "_c_" + a dashed uuid. */
static void make_id(struct actor *a, enum id_form form, char *out)
{
    static const char hex[] = "0123456789abcdef";
    char h[33];
    uint64_t r = 0;

    for (int i = 0; i < 32; i++, r >>= 4) {
        if (i % 16 == 0)
            r = rng_next(&a->rng);
        h[i] = hex[r & 15];
    }
    /* The version and variant digits of a random (version 4) uuid. */
    h[12] = '4';
    h[16] = hex[8 + (rng_next(&a->rng) & 3)];
    h[32] = '\0';
    if (form == ID_HEX)
        snprintf(out, ID_SIZE, "%s", h);
    else if (form == ID_CURATOR)
        snprintf(out, ID_SIZE, "_c_%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    else
        out[0] = '\0';
}

__attribute__((format(printf, 2, 3))) static void say(const struct actor *a, const char *fmt, ...)
{
    char line[ZPATH + 128], stamp[16];
    time_t now = time(NULL);
    struct tm tm;
    va_list ap;
    int n;

    if (quiet)
        return;
    strftime(stamp, sizeof stamp, "%H:%M:%S", localtime_r(&now, &tm));
    n = snprintf(line, sizeof line, "%s %-18s ", stamp, a->name);
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    /* One call per line, so that the threads' lines never mix. */
    fputs(line, stdout);
    fflush(stdout);
}

/* ---- waiting ------------------------------------------------------------------ */

/* Runs on the ZooKeeper completion thread: records and wakes, no more. */
static void watch_cb(zhandle_t *zh, int type, int state, const char *path, void *ctx)
{
    struct actor *a = ctx;
    (void)zh;
    (void)path;
    pthread_mutex_lock(&a->mu);
    if (type == ZOO_SESSION_EVENT)
        a->state = state;
    else
        a->fired = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

static void deadline_after(struct timespec *ts, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += ms % 1000 * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* With a->mu held: the session is over for good. */
static bool session_gone(const struct actor *a)
{
    return a->state == ZOO_EXPIRED_SESSION_STATE || a->state == ZOO_AUTH_FAILED_STATE;
}

/* Why the actor must stop what it is doing: ZCLOSING on the stop,
 * ZSESSIONEXPIRED when its session is gone; ZOK when neither. */
static int actor_check(struct actor *a)
{
    int rc = ZOK;

    pthread_mutex_lock(&a->mu);
    if (stopping)
        rc = ZCLOSING;
    else if (session_gone(a))
        rc = ZSESSIONEXPIRED;
    pthread_mutex_unlock(&a->mu);
    return rc;
}

/* Sleeps ms (FOREVER: until cut short), cut short by the stop or by the end
 * of the session. */
static void nap(struct actor *a, long ms)
{
    struct timespec until;

    deadline_after(&until, ms < 0 ? 0 : ms);
    pthread_mutex_lock(&a->mu);
    while (!stopping && !session_gone(a)) {
        if (ms < 0)
            pthread_cond_wait(&a->cv, &a->mu);
        else if (pthread_cond_timedwait(&a->cv, &a->mu, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&a->mu);
}

/* Forgets earlier watches' events: call before setting the watch to wait on,
 * so that one firing at once is not missed. */
static void arm(struct actor *a)
{
    pthread_mutex_lock(&a->mu);
    a->fired = false;
    pthread_mutex_unlock(&a->mu);
}

/* Waits for a watch armed since arm() to fire, or RECHECK_MS at most, then
 * says whether to go on. */
static int await_watch(struct actor *a)
{
    struct timespec until;

    deadline_after(&until, RECHECK_MS);
    pthread_mutex_lock(&a->mu);
    while (!a->fired && !stopping && !session_gone(a))
        if (pthread_cond_timedwait(&a->cv, &a->mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&a->mu);
    return actor_check(a);
}

/* ---- sessions ----------------------------------------------------------------- */

/* Starts a session for a and waits until it is connected. ZOK, or (with no
 * session left) ZBADARGUMENTS when the client refuses the server list,
 * ZCLOSING on the stop, ZOPERATIONTIMEOUT when nothing answers. */
static int session_start(struct actor *a)
{
    struct timespec until;
    int rc;

    pthread_mutex_lock(&a->mu);
    a->state = 0;
    a->fired = false;
    pthread_mutex_unlock(&a->mu);
    a->zh = zookeeper_init(hosts, watch_cb, SESSION_MS, NULL, a, 0);
    if (!a->zh)
        return ZBADARGUMENTS;
    /* The hosts do not move during a demo; re-resolving costs every pass. */
    zoo_set_servers_resolution_delay(a->zh, -1);
    deadline_after(&until, CONNECT_MS);
    pthread_mutex_lock(&a->mu);
    while (!stopping && a->state != ZOO_CONNECTED_STATE && !session_gone(a))
        if (pthread_cond_timedwait(&a->cv, &a->mu, &until) == ETIMEDOUT)
            break;
    rc = a->state == ZOO_CONNECTED_STATE ? ZOK : stopping ? ZCLOSING : ZOPERATIONTIMEOUT;
    pthread_mutex_unlock(&a->mu);
    if (rc != ZOK) {
        zookeeper_close(a->zh);
        a->zh = NULL;
    }
    return rc;
}

/* Closes a's session, if any: the server deletes its ephemerals now. */
static void session_end(struct actor *a)
{
    if (a->zh)
        zookeeper_close(a->zh);
    a->zh = NULL;
    pthread_mutex_lock(&a->mu);
    a->state = 0;
    pthread_mutex_unlock(&a->mu);
}

/* An actor's thread: a session, the recipe's work in it, and a new session
 * whenever the work ends (a member leaving) or fails. */
static void *actor_main(void *arg)
{
    struct actor *a = arg;

    while (!stopping) {
        int rc = session_start(a);
        if (rc == ZOK)
            rc = a->kind->run(a);
        session_end(a);
        if (rc != ZOK && !stopping) {
            say(a, "starts over with a new session (%s)", zerror(rc));
            nap(a, RETRY_MS);
        }
    }
    return NULL;
}

/* ---- the registry ------------------------------------------------------------- */

/* A service member: online for a while as an ephemeral holding its address,
 * then gone with its session (as a crashed or stopped server would go). */
static int member_run(struct actor *a)
{
    char path[ZPATH], data[64];
    int rc;

    snprintf(path, sizeof path, "%s/%s", a->kind->dir, a->name);
    snprintf(data, sizeof data, "{\"host\":\"10.0.0.%d\",\"port\":8080}", a->number);
    /* The node of a session of ours that failed, not closed, stays until
     * that session expires: wait for it to go. */
    while ((rc = zoo_create(a->zh, path, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE,
                            ZOO_EPHEMERAL, NULL, 0)) == ZNODEEXISTS) {
        arm(a);
        rc = zoo_wexists(a->zh, path, watch_cb, a, NULL);
        if (rc == ZOK)
            rc = await_watch(a);
        else if (rc == ZNONODE)
            rc = actor_check(a);
        if (rc != ZOK)
            return rc;
    }
    if (rc != ZOK)
        return rc;
    say(a, "joined %s", path);
    nap(a, between(a, a->kind->hold_min, a->kind->hold_max));
    if ((rc = actor_check(a)) != ZOK)
        return rc;
    session_end(a);
    say(a, "left %s", path);
    nap(a, between(a, a->kind->pause_min, a->kind->pause_max));
    return ZOK;
}

/* ---- locks -------------------------------------------------------------------- */

/* The sequence number ZooKeeper appended to name; -1 when there is none. */
static long long seq_of(const char *name)
{
    size_t n = strlen(name);

    if (n < 10 || strspn(name + n - 10, "0123456789") != 10)
        return -1;
    return atoll(name + n - 10);
}

static bool name_reads(const char *name)
{
    return strstr(name, KAZOO_RLOCK.tag) || strstr(name, CURATOR_READ.tag);
}

/* The child that keeps mine from holding, by the rule of every recipe here:
 * a writer waits for the contender just before it, a reader for the
 * closest writer before it. Copies its name to out ("" when mine holds).
 * False when mine is not among kids: its session is gone. */
static bool lock_blocker(const struct String_vector *kids, const char *mine, bool reader,
                         char *out, size_t cap)
{
    long long my_seq = seq_of(mine), best = -1;
    bool found = false;

    out[0] = '\0';
    for (int i = 0; i < kids->count; i++) {
        const char *kid = kids->data[i];
        long long q = seq_of(kid);
        if (strcmp(kid, mine) == 0)
            found = true;
        else if (q < my_seq && q > best && !(reader && name_reads(kid))) {
            best = q;
            snprintf(out, cap, "%s", kid);
        }
    }
    return found;
}

/* Waits until mine (a child of dir) holds, watching only the node that
 * blocks it, as the recipes do: no herd wakes when the holder lets go. */
static int lock_wait(struct actor *a, const char *dir, const char *mine, bool reader)
{
    int rc = ZOK;

    while (rc == ZOK) {
        struct String_vector kids = {0};
        char blocker[ZPATH], path[ZPATH * 2];
        bool present;

        if ((rc = zoo_get_children(a->zh, dir, 0, &kids)) != ZOK)
            return rc;
        present = lock_blocker(&kids, mine, reader, blocker, sizeof blocker);
        deallocate_String_vector(&kids);
        if (!present)
            return ZNONODE;
        if (!blocker[0])
            return ZOK;
        snprintf(path, sizeof path, "%s/%s", dir, blocker);
        arm(a);
        rc = zoo_wexists(a->zh, path, watch_cb, a, NULL);
        if (rc == ZOK)
            rc = await_watch(a);
        else if (rc == ZNONODE) /* gone already: look again */
            rc = actor_check(a);
    }
    return rc;
}

/* Creates a's node in dir, named as the recipe n names it, with a's name
 * as data. Its path goes to mine. */
static int lock_enter(struct actor *a, const char *dir, const struct naming *n, char *mine,
                      size_t cap)
{
    char prefix[ZPATH], id[ID_SIZE], data[64];

    make_id(a, n->id, id);
    snprintf(prefix, sizeof prefix, "%s/%s%s", dir, id, n->tag);
    snprintf(data, sizeof data, "%s@demo", a->name);
    return zoo_create(a->zh, prefix, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE,
                      ZOO_EPHEMERAL | ZOO_SEQUENCE, mine, (int)cap);
}

/* Takes the lock dir as recipe n does; mine gets the path of a's node. */
static int lock_take(struct actor *a, const char *dir, const struct naming *n, char *mine,
                     size_t cap)
{
    int rc = lock_enter(a, dir, n, mine, cap);

    return rc == ZOK ? lock_wait(a, dir, strrchr(mine, '/') + 1, n->reader) : rc;
}

/* Holds node (a's lock or lease) for a's hold time, deletes it, pauses. */
static int hold_then_release(struct actor *a, const char *node)
{
    const struct kind *k = a->kind;
    int rc;

    say(a, "holds %s", node);
    nap(a, between(a, k->hold_min, k->hold_max));
    if ((rc = actor_check(a)) != ZOK)
        return rc;
    if ((rc = zoo_delete(a->zh, node, -1)) != ZOK)
        return rc;
    say(a, "released %s", node);
    nap(a, between(a, k->pause_min, k->pause_max));
    return actor_check(a);
}

/* A lock contender: takes the lock, holds it, lets go, pauses, again. */
static int lock_run(struct actor *a)
{
    char mine[ZPATH];
    int rc;

    do {
        rc = lock_take(a, a->kind->dir, a->kind->naming, mine, sizeof mine);
        if (rc == ZOK)
            rc = hold_then_release(a, mine);
    } while (rc == ZOK);
    return rc;
}

/* ---- semaphores ----------------------------------------------------------------- */

/* Lists dir's children and watches them. */
static int watch_children(struct actor *a, const char *dir, struct String_vector *kids)
{
    arm(a);
    return zoo_wget_children(a->zh, dir, watch_cb, a, kids);
}

/* kazoo Semaphore, holding its lock: waits for a free lease, takes it. */
static int pool_lease(struct actor *a, char *lease, size_t cap)
{
    char id[ID_SIZE], data[64];
    int rc, used;

    for (;;) {
        struct String_vector kids = {0};
        if ((rc = watch_children(a, a->kind->dir, &kids)) != ZOK)
            return rc;
        used = kids.count;
        deallocate_String_vector(&kids);
        if (used < POOL_MAX)
            break;
        if ((rc = await_watch(a)) != ZOK)
            return rc;
    }
    make_id(a, ID_HEX, id);
    snprintf(lease, cap, "%s/%s", a->kind->dir, id);
    snprintf(data, sizeof data, "%s@demo", a->name);
    return zoo_create(a->zh, lease, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL,
                      NULL, 0);
}

/* kazoo Semaphore: a lease is taken only under the sibling lock
 * DIR-__lock__, which a client keeps while it waits for a free one. */
static int pool_run(struct actor *a)
{
    char lock_dir[ZPATH], mutex[ZPATH], lease[ZPATH];
    int rc;

    snprintf(lock_dir, sizeof lock_dir, "%s-__lock__", a->kind->dir);
    do {
        rc = lock_take(a, lock_dir, &KAZOO_LOCK, mutex, sizeof mutex);
        if (rc == ZOK)
            rc = pool_lease(a, lease, sizeof lease);
        if (rc == ZOK)
            rc = zoo_delete(a->zh, mutex, -1);
        if (rc == ZOK)
            rc = hold_then_release(a, lease);
    } while (rc == ZOK);
    return rc;
}

/* Curator InterProcessSemaphoreV2, holding its mutex, with lease made:
 * the lease counts once at most LEASES_MAX leases exist. */
static int leases_wait(struct actor *a, const char *dir, const char *lease)
{
    const char *name = strrchr(lease, '/') + 1;
    int rc, count;
    bool present;

    for (;;) {
        struct String_vector kids = {0};
        if ((rc = watch_children(a, dir, &kids)) != ZOK)
            return rc;
        count = kids.count;
        present = false;
        for (int i = 0; i < kids.count; i++)
            present = present || strcmp(kids.data[i], name) == 0;
        deallocate_String_vector(&kids);
        if (!present)
            return ZNONODE;
        if (count <= LEASES_MAX)
            return ZOK;
        if ((rc = await_watch(a)) != ZOK)
            return rc;
    }
}

/* Curator InterProcessSemaphoreV2: the mutex DIR/locks orders the clients;
 * the one holding it adds its lease to DIR/leases and waits its turn. */
static int leases_run(struct actor *a)
{
    char locks[ZPATH], leases[ZPATH], mutex[ZPATH], lease[ZPATH];
    int rc;

    snprintf(locks, sizeof locks, "%s/locks", a->kind->dir);
    snprintf(leases, sizeof leases, "%s/leases", a->kind->dir);
    do {
        rc = lock_take(a, locks, &CURATOR_LOCK, mutex, sizeof mutex);
        if (rc == ZOK)
            rc = lock_enter(a, leases, &CURATOR_LEASE, lease, sizeof lease);
        if (rc == ZOK)
            rc = leases_wait(a, leases, lease);
        if (rc == ZOK)
            rc = zoo_delete(a->zh, mutex, -1);
        if (rc == ZOK)
            rc = hold_then_release(a, lease);
    } while (rc == ZOK);
    return rc;
}

/* ---- main ----------------------------------------------------------------------- */

static void actor_init(struct actor *a, const struct kind *k, int number, uint64_t seed)
{
    pthread_condattr_t ca;

    a->kind = k;
    a->number = number;
    snprintf(a->name, sizeof a->name, "%s%d", k ? k->group : "setup", number);
    a->rng = seed;
    pthread_mutex_init(&a->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&a->cv, &ca);
    pthread_condattr_destroy(&ca);
}

static void actor_destroy(struct actor *a)
{
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
}

/* Creates the persistent parents that are missing. 0, or the exit status
 * after saying why not. */
static int setup(void)
{
    struct actor a = {0};
    int rc;

    actor_init(&a, NULL, 0, 0);
    rc = session_start(&a);
    if (rc == ZBADARGUMENTS)
        fprintf(stderr, "zkdemo: cannot use the server list '%s'\n", hosts);
    else if (rc != ZOK)
        fprintf(stderr, "zkdemo: no connection to %s\n", hosts);
    for (size_t i = 0; rc == ZOK && i < sizeof parents / sizeof *parents; i++) {
        const struct parent *p = &parents[i];
        int len = p->data ? (int)strlen(p->data) : -1;
        rc = zoo_create(a.zh, p->path, p->data, len, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);
        if (rc == ZNODEEXISTS) /* kazoo refuses a semaphore whose max differs */
            rc = p->data ? zoo_set(a.zh, p->path, p->data, len, -1) : ZOK;
        if (rc != ZOK)
            fprintf(stderr, "zkdemo: %s: %s\n", p->path, zerror(rc));
    }
    session_end(&a);
    actor_destroy(&a);
    return rc == ZBADARGUMENTS ? 2 : rc == ZOK ? 0 : 1;
}

/* Starts one thread per actor. The count started, all of them on success. */
static size_t actors_start(struct actor *v, size_t n)
{
    uint64_t seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
    size_t made = 0;

    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        for (int i = 0; i < kinds[k].count && made < n; i++) {
            struct actor *a = &v[made];
            actor_init(a, &kinds[k], kinds[k].first + i, rng_next(&seed));
            if (pthread_create(&a->thread, NULL, actor_main, a) != 0) {
                actor_destroy(a);
                return made;
            }
            made++;
        }
    }
    return made;
}

/* Stops the n actors of v: wakes every wait, joins every thread (each
 * closes its own session on its way out). */
static void actors_stop(struct actor *v, size_t n)
{
    stopping = true;
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_lock(&v[i].mu);
        pthread_cond_broadcast(&v[i].cv);
        pthread_mutex_unlock(&v[i].mu);
    }
    for (size_t i = 0; i < n; i++) {
        pthread_join(v[i].thread, NULL);
        actor_destroy(&v[i]);
    }
}

/* Returns when one of the signals in set comes, or seconds (0: never) pass. */
static void wait_for_stop(const sigset_t *set, long seconds)
{
    struct timespec end, now;
    const struct timespec slice = {0, 100 * 1000000L};

    deadline_after(&end, seconds * 1000);
    for (;;) {
        if (sigtimedwait(set, NULL, &slice) > 0)
            return;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (seconds > 0 && (now.tv_sec > end.tv_sec ||
                            (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec)))
            return;
    }
}

/* The stop signals are taken by sigtimedwait in main alone: blocked before
 * any thread starts, so that every thread (the client's too) inherits the
 * mask. Their action is reset first, since a shell starts background jobs
 * with INT ignored. A closed stdout must not kill the workload. */
static void signals_take(sigset_t *set)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

#define USAGE "zkdemo -s HOST:PORT[,...] [-t SECONDS] [-q]"

__attribute__((format(printf, 1, 2))) static int bad(const char *fmt, ...)
{
    va_list ap;

    fputs("zkdemo: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (usage: " USAGE ")\n", stderr);
    return 2;
}

/* Reads the command line into hosts, *seconds and quiet. -1 when it is
 * fine, else the exit status (0 after --help). */
static int parse_args(int argc, char **argv, long *seconds)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        char *end;

        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            puts("usage: " USAGE "\n"
                 "  -s  the ZooKeeper servers\n"
                 "  -t  run for SECONDS, then stop (default 900; 0: until INT or TERM)\n"
                 "  -q  print nothing (else one line per event)");
            return 0;
        }
        if (strcmp(arg, "-q") == 0) {
            quiet = true;
            continue;
        }
        if (strcmp(arg, "-s") != 0 && strcmp(arg, "-t") != 0)
            return bad("unknown argument '%s'", arg);
        if (++i == argc)
            return bad("%s needs a value", arg);
        if (arg[1] == 's') {
            hosts = argv[i];
            continue;
        }
        errno = 0;
        *seconds = strtol(argv[i], &end, 10);
        if (errno || end == argv[i] || *end || *seconds < 0 || *seconds > 365L * 86400)
            return bad("-t: not a number of seconds: '%s'", argv[i]);
    }
    if (!hosts || !*hosts)
        return bad("no servers: -s HOST:PORT is needed");
    return -1;
}

int main(int argc, char **argv)
{
    size_t n = 0, started;
    long seconds = 900;
    struct actor *actors;
    sigset_t stop_set;
    FILE *log;
    int status = parse_args(argc, argv, &seconds);

    if (status >= 0)
        return status;
    /* Before any session: the client would log to stderr, over the TUI. */
    log = fopen("/dev/null", "w");
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    if (log)
        zoo_set_log_stream(log);
    signals_take(&stop_set);
    if ((status = setup()) == 0) {
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            n += (size_t)kinds[k].count;
        actors = calloc(n, sizeof *actors);
        started = actors ? actors_start(actors, n) : 0;
        if (started == n)
            wait_for_stop(&stop_set, seconds);
        else
            fprintf(stderr, "zkdemo: cannot start %zu actors\n", n);
        if (actors)
            actors_stop(actors, started);
        free(actors);
        status = started == n ? 0 : 1;
    }
    if (log)
        fclose(log);
    return status;
}
