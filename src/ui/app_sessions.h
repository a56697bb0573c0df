/* The sessions view's state: the ephemeral nodes zktui has read, grouped
 * by owner session; what `cons` says of each session, asked of the server
 * zktui is connected to and of every ensemble member, at most every probe
 * interval and only while the view is shown; and d on a session, which
 * deletes all of its nodes (the session itself lives on). UI thread
 * only. */
#ifndef ZKTUI_UI_APP_SESSIONS_H
#define ZKTUI_UI_APP_SESSIONS_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sessions.h"
#include "ui/app.h"
#include "zk/fourlw.h"

struct sessions_ui {
    struct fourlw *ask;          /* cons; NULL until the view is first shown */
    struct cons_server *srv;     /* one per server asked, in the order asked */
    size_t nsrv;
    long long next_round;        /* monotonic ms the next round is due */
    unsigned long rounds;        /* rounds started */
    struct sess_list list;       /* as last built */
    /* The question asked: every node of the session, with the version it
     * had then. */
    char **paths;
    int32_t *versions;
    size_t n;
    char what[160];              /* "the ephemeral nodes of session 0x..." */
};

/* a->sess, made on first use; NULL when out of memory. */
struct sessions_ui *app_sessions(struct app *a);
void app_sessions_free(struct app *a);

/* Regroups the store's ephemerals into a->sess->list (the pane calls it
 * each frame). False when out of memory. */
bool app_sessions_rebuild(struct app *a);

/* The cons sockets for the loop's poll (at most max; *timeout lowered to
 * when they next need a turn), and their revents after it. A round starts
 * only while the sessions screen is shown. */
int app_sessions_fds(struct app *a, struct pollfd *fds, int max, int *timeout);
void app_sessions_run(struct app *a, const struct pollfd *fds, int n);

/* d on the sessions screen: on a session's heading, asks whether to
 * delete all of its nodes; on a node, the ordinary guarded delete. */
void app_sessions_ask_delete(struct app *a);
/* A key while that question is up: y deletes, n/q/Esc keeps. */
void app_sessions_prompt_key(struct app *a, int key);

/* Ages are on screen: a frame a second. */
bool app_sessions_ticking(const struct app *a);

#endif
