/* Batch output: --dump (an indented tree) and --json (one object per node),
 * read through the same session and store as the UI. Main thread only. */
#ifndef ZKTUI_BATCH_H
#define ZKTUI_BATCH_H

#include <stdbool.h>
#include <stdio.h>

struct creds;

struct batch_opts {
    const char *hosts;
    int session_timeout_ms;
    FILE *log;          /* the C client's log */
    const char *path;   /* subtree to print */
    bool json;
    int window;         /* requests in flight at most */
    bool stats;         /* --stats: nodes, time, rate, peak in flight on err */
    const struct creds *auth; /* sent on connecting (NULL: none) */
};

/* Prints the subtree to out. Returns the exit status: 0, or 1 with a
 * sentence on err (no such node, no connection within the timeout). */
int batch_dump(const struct batch_opts *o, FILE *out, FILE *err);

#endif
