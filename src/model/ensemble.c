/* See ensemble.h. The answers read here are those of the ZooKeeper 3.8
 * server (StatCommand and the four-letter-word gate of NIOServerCnxn);
 * tests/unit/test_ensemble.c holds real ones. */
#include "ensemble.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

/* ---- reading a srvr answer ----------------------------------------------- */

/* Text the server answers instead of running a word missing from
 * 4lw.commands.whitelist: "<word> is not executed because it is not in
 * the whitelist." */
#define NOT_WHITELISTED "is not executed because it is not in the whitelist"
/* ...and instead of srvr while it has no quorum (ZK_NOT_SERVING). */
#define NOT_SERVING "This ZooKeeper instance is not currently serving requests"

/* True when the line from line to end starts with key; *val then points
 * past the key and the blanks after it. */
static bool line_key(const char *line, const char *end, const char *key, const char **val)
{
    size_t k = strlen(key);

    if ((size_t)(end - line) < k || memcmp(line, key, k) != 0)
        return false;
    line += k;
    while (line < end && *line == ' ')
        line++;
    *val = line;
    return true;
}

/* A decimal integer at *p (before end), moving *p past it; false when
 * there are no digits. Saturates instead of overflowing. */
static bool read_ll(const char **p, const char *end, long long *out)
{
    const char *s = *p;
    bool neg = s < end && *s == '-';
    unsigned long long v = 0;

    if (neg)
        s++;
    if (s == end || *s < '0' || *s > '9')
        return false;
    for (; s < end && *s >= '0' && *s <= '9'; s++)
        v = v > 922337203685477580ULL ? 9223372036854775807ULL : v * 10 + (unsigned)(*s - '0');
    if (v > 9223372036854775807ULL)
        v = 9223372036854775807ULL;
    *out = neg ? -(long long)v : (long long)v;
    *p = s;
    return true;
}

/* "12.0198" without strtod, whose decimal point follows the locale. */
static bool read_decimal(const char **p, const char *end, double *out)
{
    long long whole;
    double frac = 0, scale = 1;
    const char *s;
    bool neg = *p < end && **p == '-';

    if (!read_ll(p, end, &whole))
        return false;
    s = *p;
    if (s < end && *s == '.')
        for (s++; s < end && *s >= '0' && *s <= '9'; s++) {
            scale /= 10;
            frac += (*s - '0') * scale;
        }
    *out = neg ? (double)whole - frac : (double)whole + frac;
    *p = s;
    return true;
}

static long long read_hex(const char *s, const char *end)
{
    unsigned long long v = 0;

    if (end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    for (; s < end; s++) {
        int d = *s >= '0' && *s <= '9'   ? *s - '0'
                : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
                : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10
                                         : -1;
        if (d < 0)
            break;
        v = v << 4 | (unsigned)d;
    }
    return (long long)v;
}

static enum zk_mode mode_parse(const char *s, size_t n)
{
    static const struct {
        const char *name;
        enum zk_mode mode;
    } modes[] = {
        {"leader", MODE_LEADER},         {"follower", MODE_FOLLOWER}, {"observer", MODE_OBSERVER},
        {"standalone", MODE_STANDALONE}, {"read-only", MODE_READONLY},
    };

    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (strlen(modes[i].name) == n && memcmp(modes[i].name, s, n) == 0)
            return modes[i].mode;
    return MODE_UNKNOWN;
}

/* "3.8.0-abc, built on 2024-12-29 17:54 UTC": the version is what comes
 * before the comma. */
static void version_copy(char *dst, size_t cap, const char *s, const char *end)
{
    const char *comma = memchr(s, ',', (size_t)(end - s));
    size_t n = (size_t)((comma ? comma : end) - s);

    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void latency_parse(const char *s, const char *end, struct srvr_info *out)
{
    long long v;

    if (!read_ll(&s, end, &v) || s == end || *s++ != '/')
        return;
    out->lat_min = (long)v;
    if (!read_decimal(&s, end, &out->lat_avg) || s == end || *s++ != '/')
        return;
    if (read_ll(&s, end, &v))
        out->lat_max = (long)v;
}

/* One whole line (without its end of line). Returns true for "Mode:". */
static bool line_parse(const char *line, const char *end, struct srvr_info *out)
{
    const struct {
        const char *key;
        long long *field;
    } counters[] = {
        {"Received:", &out->received},       {"Sent:", &out->sent},
        {"Connections:", &out->connections}, {"Outstanding:", &out->outstanding},
        {"Node count:", &out->node_count},
    };
    const char *val;

    if (line_key(line, end, "Mode:", &val)) {
        out->mode = mode_parse(val, (size_t)(end - val));
        return true;
    }
    if (line_key(line, end, "Zxid:", &val))
        out->zxid = read_hex(val, end);
    else if (line_key(line, end, "Latency min/avg/max:", &val))
        latency_parse(val, end, out);
    else
        for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
            if (line_key(line, end, counters[i].key, &val)) {
                read_ll(&val, end, counters[i].field);
                break;
            }
    return false;
}

bool srvr_parse(const char *text, size_t len, struct srvr_info *out)
{
    const char *p = text, *end = text + len;
    bool first = true, mode = false;

    memset(out, 0, sizeof *out);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop, *val;
        if (!nl)
            break; /* a cut-off last line says nothing for sure */
        stop = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
        if (first) {
            if (!line_key(p, stop, "Zookeeper version:", &val))
                return false;
            version_copy(out->version, sizeof out->version, val, stop);
            first = false;
        } else if (line_parse(p, stop, out)) {
            mode = true;
        }
        p = nl + 1;
    }
    return !first && mode;
}

static bool contains(const char *text, size_t len, const char *what)
{
    size_t n = strlen(what);

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(text + i, what, n) == 0)
            return true;
    return false;
}

void srvr_classify(const char *text, size_t len, struct probe_result *r)
{
    memset(r, 0, sizeof *r);
    if (srvr_parse(text, len, &r->info)) {
        r->status = PROBE_OK;
        return;
    }
    memset(&r->info, 0, sizeof r->info);
    r->status = PROBE_DOWN;
    if (contains(text, len, NOT_WHITELISTED)) {
        r->status = PROBE_NOT_ALLOWED;
        snprintf(r->why, sizeof r->why, "srvr is not in 4lw.commands.whitelist");
    } else if (len >= strlen(NOT_SERVING) && memcmp(text, NOT_SERVING, strlen(NOT_SERVING)) == 0) {
        snprintf(r->why, sizeof r->why, "not serving requests");
    } else if (len == 0) {
        snprintf(r->why, sizeof r->why, "closed without answering");
    } else {
        snprintf(r->why, sizeof r->why, "not a srvr answer");
    }
}

const char *zk_mode_name(enum zk_mode m)
{
    switch (m) {
    case MODE_LEADER:
        return "leader";
    case MODE_FOLLOWER:
        return "follower";
    case MODE_OBSERVER:
        return "observer";
    case MODE_STANDALONE:
        return "standalone";
    case MODE_READONLY:
        return "read-only";
    case MODE_UNKNOWN:
        break;
    }
    return "unknown";
}

const char *member_state_name(enum member_state s)
{
    switch (s) {
    case MEMBER_ONLINE:
        return "online";
    case MEMBER_OFFLINE:
        return "offline";
    case MEMBER_NO_4LW:
        return "no 4lw";
    case MEMBER_UNKNOWN:
        break;
    }
    return "unknown";
}

/* ---- members ------------------------------------------------------------- */

static bool init_fail(struct ensemble *e, char *err, size_t errlen, const char *why)
{
    ensemble_free(e);
    if (err && errlen)
        snprintf(err, errlen, "%s", why);
    return false;
}

/* Fills m from the n bytes "host:port" or "[v6]:port" at s, which
 * connect_string_valid has checked. */
static bool member_set(struct member *m, const char *s, size_t n)
{
    const char *colon = s + n;
    const char *host = s, *host_end;

    while (colon > s && colon[-1] != ':')
        colon--;
    host_end = colon - 1;
    if (s[0] == '[') {
        host = s + 1;
        host_end--; /* the ']' */
    }
    if ((size_t)(host_end - host) >= sizeof m->host)
        return false;
    memset(m, 0, sizeof *m);
    memcpy(m->host, host, (size_t)(host_end - host));
    m->port = atoi(colon);
    snprintf(m->name, sizeof m->name, s[0] == '[' ? "[%s]:%d" : "%s:%d", m->host, m->port);
    return true;
}

static bool member_known(const struct ensemble *e, const struct member *m)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].port == m->port && strcmp(e->v[i].host, m->host) == 0)
            return true;
    return false;
}

bool ensemble_init(struct ensemble *e, const char *connect_string, char *err, size_t errlen)
{
    const char *why, *p = connect_string, *end;
    size_t cap = 1;

    memset(e, 0, sizeof *e);
    e->leader = e->last_leader = -1;
    if (!connect_string || !connect_string_valid(connect_string, &why))
        return init_fail(e, err, errlen, connect_string ? why : "no servers");
    end = strchr(p, '/');
    if (!end)
        end = p + strlen(p);
    for (const char *c = p; c < end; c++)
        cap += *c == ',';
    e->v = calloc(cap, sizeof *e->v);
    if (!e->v)
        return init_fail(e, err, errlen, "out of memory");
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (!member_set(&e->v[e->n], p, (size_t)(stop - p)))
            return init_fail(e, err, errlen, "a host name is longer than 255 bytes");
        if (!member_known(e, &e->v[e->n]))
            e->n++;
        p = stop + 1;
    }
    return true;
}

void ensemble_free(struct ensemble *e)
{
    free(e->v);
    memset(e, 0, sizeof *e);
    e->leader = e->last_leader = -1;
}

/* ---- state changes ------------------------------------------------------- */

static void log_add(struct event_log *log, long long wall_ms, enum event_kind kind, const char *text)
{
    if (log)
        events_add(log, wall_ms, kind, text);
}

static void state_set(struct member *m, enum member_state s, long long wall_ms)
{
    if (m->state != s)
        m->since_ms = wall_ms;
    m->state = s;
}

/* After member i's probe: leads is true when it answered "leader". */
static void leader_update(struct ensemble *e, size_t i, bool leads, long long wall_ms, struct event_log *log)
{
    char text[640];
    int was = e->last_leader;

    if (!leads) {
        if (e->leader == (int)i)
            e->leader = -1; /* last_leader keeps it, for the next "was" */
        return;
    }
    if (e->leader == (int)i)
        return;
    e->leader = e->last_leader = (int)i;
    /* The same member leading again after a gap (it restarted and won
     * again) is no change of leader. */
    if (was == (int)i)
        return;
    snprintf(text, sizeof text, "leader is now %s (was %s)", e->v[i].name, was >= 0 ? e->v[was].name : "none");
    log_add(log, wall_ms, EV_ENSEMBLE, text);
}

void ensemble_observe(struct ensemble *e, size_t i, const struct probe_result *r, long long wall_ms,
                      struct event_log *log)
{
    struct member *m;
    char text[512];

    if (i >= e->n)
        return;
    m = &e->v[i];
    switch (r->status) {
    case PROBE_OK:
        if (m->state != MEMBER_ONLINE) {
            snprintf(text, sizeof text, "ONLINE %s %s", m->name, zk_mode_name(r->info.mode));
            log_add(log, wall_ms, EV_ONLINE, text);
        }
        state_set(m, MEMBER_ONLINE, wall_ms);
        m->info = r->info;
        m->last_ok_ms = wall_ms;
        m->why[0] = '\0';
        break;
    case PROBE_DOWN:
        if (m->state != MEMBER_OFFLINE) {
            snprintf(text, sizeof text, "OFFLINE %s (%s)", m->name, r->why);
            log_add(log, wall_ms, EV_OFFLINE, text);
        }
        state_set(m, MEMBER_OFFLINE, wall_ms);
        snprintf(m->why, sizeof m->why, "%s", r->why);
        break;
    case PROBE_NOT_ALLOWED:
        if (m->state != MEMBER_NO_4LW) {
            snprintf(text, sizeof text,
                     "%s does not allow srvr: add it to 4lw.commands.whitelist in zoo.cfg", m->name);
            log_add(log, wall_ms, EV_ERROR, text);
        }
        state_set(m, MEMBER_NO_4LW, wall_ms);
        snprintf(m->why, sizeof m->why, "%s", r->why);
        break;
    }
    leader_update(e, i, r->status == PROBE_OK && r->info.mode == MODE_LEADER, wall_ms, log);
}
