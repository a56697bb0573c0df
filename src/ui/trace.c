#include "trace.h"

#include <inttypes.h>
#include <time.h>

#include "ui/app.h"
#include "model/msg.h"
#include "model/store.h"
#include "zk/session.h"

static FILE *out;
static unsigned long frames;

long long trace_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void trace_start(FILE *f)
{
    trace_stop();
    out = f;
    frames = 0;
    if (out)
        fprintf(out, "# zktui trace: CLOCK_MONOTONIC microseconds, then key, msg or frame\n");
}

void trace_stop(void)
{
    if (out)
        fclose(out);
    out = NULL;
}

bool trace_on(void)
{
    return out != NULL;
}

static const char *kind_name(int k)
{
    static const char *const names[] = {
        [MSG_SESSION] = "session", [MSG_WATCH] = "watch", [MSG_CHILDREN] = "children",
        [MSG_DATA] = "data",       [MSG_STAT] = "stat",   [MSG_ACL] = "acl",
        [MSG_WRITE] = "write",
    };
    return k >= 0 && (size_t)k < sizeof names / sizeof names[0] && names[k] ? names[k] : "?";
}

void trace_msg(const struct msg *m)
{
    if (!out)
        return;
    fprintf(out, "%lld msg %s %s rc=%d", trace_now_us(), kind_name(m->kind),
            m->path ? m->path : "-", m->rc);
    if (m->kind == MSG_SESSION)
        fprintf(out, " state=%s", conn_state_name(m->state));
    if (m->kind == MSG_CHILDREN)
        fprintf(out, " n=%" PRId32, m->n_names);
    if (m->has_stat)
        fprintf(out, " ver=%" PRId32, m->stat.version);
    if (m->tag)
        fprintf(out, " tag=0x%" PRIx32, m->tag);
    fputc('\n', out);
}

void trace_key(int code, bool in_prompt)
{
    if (!out)
        return;
    if (in_prompt)
        fprintf(out, "%lld key prompt\n", trace_now_us());
    else
        fprintf(out, "%lld key %d\n", trace_now_us(), code);
}

static const char *screen_name(int s)
{
    static const char *const names[] = {
        [SCREEN_TREE] = "tree",         [SCREEN_LOCKS] = "locks",   [SCREEN_SERVICES] = "registries",
        [SCREEN_ENSEMBLE] = "ensemble", [SCREEN_EVENTS] = "events", [SCREEN_HELP] = "help",
        [SCREEN_SESSIONS] = "sessions",
    };
    return s >= 0 && s < SCREEN__COUNT && names[s] ? names[s] : "?";
}

void trace_frame(const struct app *a, long long started_us)
{
    const struct node *n;
    long long now;
    if (!out)
        return;
    now = trace_now_us();
    n = a->selected ? store_get(a->store, a->selected) : NULL;
    fprintf(out, "%lld frame %lu took=%lld screen=%s sel=%s", now, ++frames, now - started_us,
            screen_name(a->screen), a->selected ? a->selected : "-");
    if (n && (n->flags & NODE_HAS_STAT))
        fprintf(out, " ver=%" PRId32 " mzxid=0x%" PRIx64, n->stat.version, (uint64_t)n->stat.mzxid);
    else
        fprintf(out, " ver=- mzxid=-");
    fprintf(out, " nodes=%zu rows=%zu watches=%" PRIu32 " inflight=%d", a->store->count,
            a->rows.n, a->store->watches, zk_in_flight(a->zk));
    if (a->expand.walk)
        fprintf(out, " expanding=%" PRIu64, a->expand.nodes);
    fputc('\n', out);
    fflush(out);
}
