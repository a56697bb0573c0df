/* The ensemble: one member per host:port of the connect string, the state
 * each one's last `srvr` answer says (mode, zxid, latency, counters), who
 * leads, and the events when that changes. src/zk/probe.c asks the
 * members; this file only reads answers and keeps state, so it is pure
 * and unit-tested. UI thread only (srvr_parse, srvr_classify and the
 * *_name functions: any thread). */
#ifndef ZKTUI_MODEL_ENSEMBLE_H
#define ZKTUI_MODEL_ENSEMBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"

enum zk_mode { MODE_UNKNOWN, MODE_LEADER, MODE_FOLLOWER, MODE_OBSERVER, MODE_STANDALONE, MODE_READONLY };

/* What one `srvr` answer says. Fields missing from the answer stay 0. */
struct srvr_info {
    enum zk_mode mode;
    char version[64];        /* "3.8.0-<commit>": the text before ", built on" */
    long long zxid;          /* "Zxid: 0x..." */
    long lat_min, lat_max;   /* "Latency min/avg/max: 0/0.4/12", in ms */
    double lat_avg;
    long long received, sent, connections, outstanding, node_count;
};

enum probe_status { PROBE_OK, PROBE_DOWN, PROBE_NOT_ALLOWED };

/* The outcome of one probe of one member. */
struct probe_result {
    enum probe_status status;
    struct srvr_info info;   /* PROBE_OK only */
    char why[128];           /* otherwise: "connection refused", "timed out", ... */
};

enum member_state { MEMBER_UNKNOWN, MEMBER_ONLINE, MEMBER_OFFLINE, MEMBER_NO_4LW };

struct member {
    char host[256];          /* as written, without the [brackets] of IPv6 */
    int port;
    char name[280];          /* "host:port", "[v6]:port" */
    enum member_state state;
    struct srvr_info info;   /* from the last good answer, kept while offline */
    long long last_ok_ms;    /* wall clock ms of the last good answer, 0: never */
    long long since_ms;      /* wall clock ms when state last changed */
    char why[128];           /* why it is offline or not allowed; "" when online */
};

struct ensemble {
    struct member *v;        /* owned, n of them, in connect-string order */
    size_t n;
    int leader;              /* index of the member answering "leader", or -1 */
    int last_leader;         /* the last one that did (kept while there is
                              * none), or -1: names "was" in the event */
};

/* Reads one complete `srvr` answer of len bytes (text need not be NUL-
 * terminated). Only whole lines count: the answer must start with the
 * "Zookeeper version:" line and hold a "Mode:" line; false otherwise (out
 * is then unspecified). Locale-independent. */
bool srvr_parse(const char *text, size_t len, struct srvr_info *out);

/* Turns a member's whole answer to "srvr" into a probe result: PROBE_OK
 * with the info, PROBE_NOT_ALLOWED when the server refuses the word
 * ("srvr is not executed because it is not in the whitelist."), or
 * PROBE_DOWN with why: "not serving requests" (a member without a quorum
 * says so), "closed without answering" (len 0), "not a srvr answer". */
void srvr_classify(const char *text, size_t len, struct probe_result *r);

const char *zk_mode_name(enum zk_mode m);           /* "leader", ... "unknown" */
const char *member_state_name(enum member_state s); /* "online", "offline", "no 4lw", "unknown" */

/* One member per host:port of connect_string (duplicates once), the
 * chroot ignored; every member MEMBER_UNKNOWN, no leader. False with a
 * sentence in err when the string is not valid (connect_string_valid) or
 * out of memory; e is then empty, and ensemble_free is still safe. */
bool ensemble_init(struct ensemble *e, const char *connect_string, char *err, size_t errlen);
void ensemble_free(struct ensemble *e);

/* Applies one probe's result to member i at wall clock wall_ms, and adds
 * to log (may be NULL) one event per change, none when nothing changed:
 *   EV_ONLINE   "ONLINE 127.0.0.1:2181 leader"        first answer, or back
 *   EV_OFFLINE  "OFFLINE 127.0.0.1:2181 (timed out)"  stops answering, or
 *                                                     down from the start
 *   EV_ENSEMBLE "leader is now 127.0.0.1:2182 (was 127.0.0.1:2181)", or
 *               "(was none)": a different member leads
 *   EV_ERROR    "127.0.0.1:2181 does not allow srvr: add it to
 *               4lw.commands.whitelist in zoo.cfg"    on entering MEMBER_NO_4LW */
void ensemble_observe(struct ensemble *e, size_t i, const struct probe_result *r, long long wall_ms,
                      struct event_log *log);

#endif
