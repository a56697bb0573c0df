/* Sessions: the ephemeral nodes zktui has read, grouped by the session
 * that owns them, each with its role (the lock it holds or waits for, the
 * registry it is a member of); and what the servers' `cons` four-letter
 * word says of each session (client address, last operation, when it was
 * established). Pure: grouping reads the store and the monitor, parsing
 * reads text; unit-tested without a server. UI thread only (cons_parse*
 * and cons_client_normalize: any thread). */
#ifndef ZKTUI_MODEL_SESSIONS_H
#define ZKTUI_MODEL_SESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor.h"
#include "store.h"

/* ---- cons ----------------------------------------------------------------- */

/* One line of a `cons` answer: a client connection, with its session once
 * it has one. Fields the line lacks stay 0 (to, est) or "" (lop). */
struct cons_conn {
    char client[64];         /* "127.0.0.1:34580", "[::1]:36074" */
    int64_t sid;             /* 0: no session (a handshake, or the 4lw itself) */
    long long queued, recved, sent;
    char lop[8];             /* last operation: "PING", "CREA", "NA" ... */
    int64_t est;             /* established: server wall clock, ms */
    long long to;            /* the negotiated session timeout, ms */
    long long lzxid;
    long long llat, minlat, maxlat; /* ms */
    double avglat;
};

enum cons_status {
    CONS_OK,
    CONS_NOT_ALLOWED,        /* "cons is not executed because it is not in the whitelist." */
    CONS_NOT_SERVING,        /* a member without a quorum */
    CONS_BAD,                /* empty, or no line of the form */
};

/* A whole answer: the connections that have a session, in the server's
 * order. */
struct cons_answer {
    enum cons_status status;
    struct cons_conn *v;     /* owned */
    size_t n;
    size_t lines;            /* connection lines read, with a session or not */
};

/* Reads one line (without its end of line) of the form
 *   " /127.0.0.1:34580[1](queued=0,recved=5,...,sid=0x1000...,lop=PING,...)"
 * as the 3.8 server prints it (ServerCnxn.dumpConnectionInfo); an address
 * may carry a host name ("host/1.2.3.4:5"), IPv6 with or without brackets.
 * Unknown keys are skipped. False when the line is not of that form. */
bool cons_parse_line(const char *line, size_t len, struct cons_conn *c);

/* Reads a whole answer of len bytes (need not be NUL-terminated) into out
 * (which it overwrites: free it first); returns out->status. A cut-short
 * last line is skipped. CONS_OK needs at least one connection line (the
 * one asking is always there). */
enum cons_status cons_parse(const char *text, size_t len, struct cons_answer *out);
void cons_answer_free(struct cons_answer *a);

/* "/0:0:0:0:0:0:0:1:36074", "/[0:0:0:0:0:0:0:1]:36074", "h/1.2.3.4:5" ->
 * "[::1]:36074", "1.2.3.4:5". False (out as given, cut to fit) when it is
 * not an address with a port. */
bool cons_client_normalize(const char *addr, size_t len, char *out, size_t cap);

/* What one server said the last time it was asked. */
enum cons_state { CONS_ASKING, CONS_ANSWERED, CONS_REFUSED, CONS_DOWN };
struct cons_server {
    char name[280];          /* "127.0.0.1:2181" */
    enum cons_state state;   /* ASKING until its first answer */
    struct cons_answer ans;  /* ANSWERED: the last answer */
    char why[128];           /* REFUSED, DOWN: in words */
    long long at_ms;         /* wall clock of the last outcome */
};

/* The connection of session sid among the answered servers (n of them),
 * and in *server the index of the one that has it; NULL when none does. */
const struct cons_conn *cons_find(const struct cons_server *v, size_t n, int64_t sid,
                                  size_t *server);

/* ---- grouping --------------------------------------------------------------- */

/* One ephemeral node, with its role. */
struct sess_entry {
    struct node *node;             /* valid until the store next changes */
    const struct lock_view *lock;  /* the lock it holds or waits for, or NULL */
    bool holds;
    const struct registry *reg;    /* the registry it is a member of, or NULL */
};

struct sess_group {
    int64_t sid;
    struct sess_entry *e;    /* into the list's array: n of them, by path */
    size_t n;
    int64_t oldest;          /* the smallest ctime, server ms */
    bool own;                /* zktui's own session */
};

struct sess_list {
    struct sess_entry *e;    /* owned; grouped */
    size_t ne, cape;
    struct sess_group *v;    /* owned: most nodes first, then the oldest,
                                then by id */
    size_t n, cap;
    size_t read;             /* nodes whose Stat zktui has, and is current */
};

/* Groups every ephemeral node of s whose Stat is read and current (its
 * parent's child list is watched, so a node gone would be gone from s),
 * by owner; roles from mo (valid until it next changes). Keeps l's arrays
 * for next time. False when out of memory (l is then empty). */
bool sessions_build(struct sess_list *l, const struct store *s, const struct monitor *mo,
                    int64_t own_sid);
void sessions_free(struct sess_list *l);

/* The group of session sid, or NULL. */
const struct sess_group *sessions_find(const struct sess_list *l, int64_t sid);

/* "holder of /locks/x", "waiting for /locks/x", "member of /servers", or
 * "" (raw paths: sanitize before drawing). */
void sess_entry_role(const struct sess_entry *e, char *buf, size_t len);

/* What a group's nodes belong to, each once, in the order of its nodes:
 * "holder of /locks/x, member of /servers, 2 other nodes"; cut to fit
 * with "and N more". Raw paths. */
void sess_group_roles(const struct sess_group *g, char *buf, size_t len);

#endif
