/* Batch modes on the monitor: --locks (the lock queues, once) and --events
 * (the event log as JSON lines, until stopped). They run the same app
 * state as the UI, without a terminal. Main thread only. */
#ifndef ZKTUI_FOLLOW_H
#define ZKTUI_FOLLOW_H

#include <stdbool.h>
#include <stdio.h>

#include "ui/app.h"

struct follow_opts {
    const char *hosts;
    int session_timeout_ms;
    FILE *log;                  /* the C client's log */
    struct app_opts app;        /* lock roots, registries, ... */
    const char *path;           /* --locks PATH: only locks at or under it */
    bool json;
    const struct creds *auth;   /* sent on connecting (NULL: none) */
};

/* Prints the lock queues once everything zktui can find has been read:
 * a block per lock (text) or one JSON object per lock (json). Returns the
 * exit status: 0; 1 with a sentence on err (no connection, no such path). */
int follow_locks(const struct follow_opts *o, FILE *out, FILE *err);

/* Streams every event as one JSON object per line until SIGINT, SIGTERM
 * or a closed out. Returns the exit status (0, or 1 with a sentence). */
int follow_events(const struct follow_opts *o, FILE *out, FILE *err);

#endif
