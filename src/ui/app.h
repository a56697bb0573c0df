/* The interactive session's state and what keys and messages do to it. No
 * curses here: drawing lives in the pane files, the loop in ui.c. UI thread
 * only. */
#ifndef ZKTUI_UI_APP_H
#define ZKTUI_UI_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/datafmt.h"
#include "model/ensemble.h"
#include "model/events.h"
#include "model/monitor.h"
#include "model/queue.h"
#include "model/store.h"
#include "zk/probe.h"
#include "zk/session.h"

enum focus { FOCUS_TREE, FOCUS_DETAIL };

/* What fills the screen: the tree with its detail (and, once known, the
 * locks and the latest events beside it), or one panel alone. */
enum app_screen { SCREEN_TREE, SCREEN_LOCKS, SCREEN_SERVICES, SCREEN_ENSEMBLE, SCREEN_EVENTS,
                  SCREEN_HELP,
              SCREEN_SESSIONS, SCREEN_FIND, SCREEN__COUNT };

/* A question on the bottom line that keys answer before anything else. */
enum prompt_kind { PROMPT_NONE, PROMPT_DELETE, PROMPT_CREATE_NAME, PROMPT_CREATE_MODE,
                   PROMPT_CREATE_DATA, PROMPT_RDELETE_COUNT, PROMPT_RDELETE,
                   PROMPT_CREATE_TTL, PROMPT_CREATE_PARENTS, PROMPT_INLINE_EDIT,
                   PROMPT_EDIT_CONFLICT, PROMPT_COMMAND, PROMPT_FILTER, PROMPT_ACL,
                   PROMPT_ACL_CONFIRM, PROMPT_SESSION_DELETE, PROMPT_JUMP, PROMPT_BIG_LIST,
                   PROMPT_FIND };
struct prompt {
    enum prompt_kind kind;
    char label[32];   /* before the input; "": no text is asked */
    char input[1024]; /* what is typed (NUL-terminated), for the kinds that
                         take text */
    size_t ilen;
    enum create_mode mode;
    long long ttl_ms;   /* for the TTL modes */
    char text[768];   /* the question and its keys, display-safe */
    char detail[768]; /* what it is about (the line above), display-safe */
    char *path;       /* what it is about (owned) */
    int32_t version;  /* the version it was asked about */
};

/* Many nodes deleted in order (children first), in transactions of at
 * most ZK_MULTI_MAX: D, and one session's ephemerals. */
struct del_job {
    char **paths;
    int32_t *versions;
    size_t n;
    size_t done;       /* deleted, for sure */
    size_t sending;    /* end of the transaction in flight; 0: none */
    char what[320];    /* "/x and everything under it", display-safe */
};

/* D: the subtree under a node listed without watches, to count it and
 * read every node's version before asking. */
struct walk_node {
    char *path;
    int32_t version;
    int depth;
    bool ephemeral;
    bool gone;         /* deleted by someone else while counting */
};
struct walk {
    struct walk_node *v;
    size_t n, cap;
    size_t sent;       /* v[sent..] still to be listed */
    size_t answered;   /* replies come in the order asked */
    uint32_t gen;      /* in each request's tag: a cancelled walk's
                          replies are told apart */
    bool active;
};

/* A bulk walk the operator started (* or :find; src/zk/walk.h), for its
 * progress and its closing line. */
struct bulk_run {
    struct zk_walk *walk;      /* NULL: none under way */
    uint16_t id;               /* in its replies' tags */
    char *top;                 /* the subtree's top (owned) */
    uint64_t nodes;            /* nodes read so far */
    uint64_t wide;             /* *: nodes left closed, with too many children */
    long long t0;              /* CLOCK_MONOTONIC ms when it started */
};

/* What the app follows besides the tree, from the configuration. */
struct app_opts {
    char *const *lock_roots;
    size_t n_lock_roots;
    char *const *service_roots;
    size_t n_service_roots;
    int hold_warn_ms;
    size_t event_log_size;
    int probe_interval_ms;     /* 0: 2 s; below 0: no probes (probe_interval: off) */
    bool read_only;            /* no change is ever sent */
    const char *ensemble;      /* members to probe; NULL or "": the session's hosts */
    const char *cluster;       /* the configuration's name for it; NULL: none */
    char (*clusters)[64];      /* every cluster of the configuration (for :ctx) */
    int nclusters;
    int max_children;          /* more children than this: ask before listing */
    int walk_window;           /* a bulk walk's reads in flight */
    int data_cache;            /* bytes of data kept for the nodes on screen */
    int watch_budget;          /* SetWatches bytes kept armed at most (0: 512 KiB) */
    bool read_only_cli;        /* read_only is --read-only's doing (else the
                                  configuration's read_only: true) */
};

/* How the detail pane shows data: as it looks, or forced. */
enum view_mode { VIEW_AUTO, VIEW_TEXT, VIEW_JSON, VIEW_HEX, VIEW__COUNT };

struct keymap;

struct app {
    struct queue *q;
    struct msg *backlog;       /* taken from q, not applied yet (in order) */
    struct msg *backlog_tail;
    const struct keymap *keymap; /* the keys in force, for the help screen */
    struct zk *zk;
    struct store *store;
    struct need_list needs;
    struct rows rows;
    uint64_t rows_gen;         /* store->shape_gen the rows were built at */
    char *selected;            /* path under the cursor (owned) */
    size_t cursor;             /* index in rows */
    size_t tree_top;           /* first row on screen */
    int tree_height;           /* rows the tree pane shows, set by layout */
    int tree_y0;               /* the screen line of its first row */
    int tree_x1;               /* the column just right of it */
    size_t detail_top;
    int detail_height;
    enum focus focus;
    enum view_mode view;
    enum app_screen screen;
    size_t list_top[SCREEN__COUNT]; /* first line shown of each panel */
    size_t list_cursor[SCREEN__COUNT]; /* the line under the cursor (locks,
                                          registries) */
    char *list_path;           /* the node on that line, as last drawn */
    char *select_after;        /* a node just created: selected when it shows */
    int list_height;           /* lines the full-screen panel shows */
    bool log_follow;           /* the event log sticks to the newest */
    struct monitor mon;
    struct event_log log;
    struct prompt prompt;      /* asked on the bottom line, or PROMPT_NONE */
    struct edit {              /* e: the editor is to run on this */
        char *path;            /* NULL: nothing to edit */
        int32_t version;       /* the version read before editing */
        char *data;
        int32_t len;
        bool in_prompt;        /* i: typed on the bottom line, no editor */
        bool hex;              /* binary: edited as hex (hex_edit_text) */
    } edit;
    struct saving {            /* a set in flight (e or i), until it is saved,
                                  given up, or settled after a conflict */
        char *path;            /* NULL: none */
        char *text;            /* what was sent */
        int32_t len;
        char *base;            /* the data it was edited from */
        int32_t base_len;
        int32_t version;       /* sent with */
        char file[512];        /* the editor's file, kept until saved; "" for i */
        bool in_prompt;        /* typed with i, not in the editor */
    } saving;
    struct create_req {        /* the last create sent: asked again after its
                                  missing parents are made */
        char *path;
        char *data;
        int32_t len;
        enum create_mode mode;
        long long ttl_ms;
    } create;
    struct walk walk;          /* D counting a subtree */
    struct history {           /* command lines run, oldest first */
        char **v;
        size_t n;
        size_t at;             /* browsing with Up/Down: v[at]; n: the new line */
        bool dirty;            /* changed since loaded */
    } history;
    char theme_request[256];   /* :theme NAME, for the loop to load; "" none */
    char filter[128];          /* /: names shown must hold this; "" none */
    bool filter_hide;          /* hide the others (else dim them) */
    size_t filter_hidden;      /* rows hidden by it now */
    struct del_job del;        /* D or a session's nodes going */
    struct ensemble ens;       /* the members of the connect string */
    struct probe *probe;       /* asks each one `srvr`; NULL: probing off */
    int probe_interval_ms;
    bool probes_off;           /* probe_interval: off */
    bool read_only;            /* no change is sent (--read-only, read_only: true) */
    char read_only_why[128];   /* the sentence for a change refused so, naming
                                  what made zktui read-only */
    char cluster[64];          /* the cluster (context) in force; "" none */
    char ctx_request[64];      /* :ctx NAME: the loop ends for the caller to
                                  switch; "" none */
    char (*clusters)[64];      /* the configuration's clusters (borrowed) */
    int nclusters;
    /* session */
    enum conn_state state;
    int64_t session_id;
    char server[128];
    bool ever_connected;       /* in this epoch */
    bool stale;                /* what is shown may be behind the server */
    unsigned expiries;
    /* messages for the status bar */
    char error[512];
    char info[512];
    bool quit;
    bool dirty;                /* something on screen must change */
    uint64_t replies;          /* replies taken from the queue, ever */
    uint64_t drawn_gen;        /* store->gen at the last draw */
    struct sessions_ui *sess;  /* the sessions view (app_sessions.h); NULL
                                  until first shown */
    struct jump *jump;         /* J: completion and a jump under way (app_jump.c) */
    char *clip;                /* y, Y: an OSC 52 sequence for the loop to write */
    /* Bulk walks (app_bulk.c, app_find.c). */
    int max_children;          /* opening a node with more asks first */
    int walk_window;           /* reads in flight in a bulk walk */
    /* Watches (app_watch.c). */
    size_t watch_budget;       /* SetWatches bytes kept armed at most */
    uint32_t unwatch_futile;   /* store->watches when nothing could go */
    uint64_t unwatched;        /* watches removed to stay in the budget, ever */
    uint16_t walk_ids;         /* the last walk id handed out */
    struct bulk_run expand;    /* *: the subtree being opened whole */
    struct find *find;         /* :find, F: the last search and its results */
    char *open_path;           /* --open: opened whole once the jump there ends */
    struct need_list kids_wait; /* lists held back until their Stat is known */
    struct big_ask {           /* opening a node with more than max_children */
        char *path;            /* waiting for its Stat, or asked about; NULL: none */
        bool jump;             /* for a jump under way (else for l, Enter) */
        char *ok;              /* the one the operator said y to */
    } big;
    size_t clip_len;
};

/* Sets up a fresh app over an open queue and session; selects and expands
 * the root. opts is copied. False when out of memory. */
bool app_init(struct app *a, struct queue *q, struct zk *zk, const struct app_opts *opts);
void app_fini(struct app *a);

/* Takes every queued message and applies it; sends the reads it calls for. */
void app_drain(struct app *a);
/* The same, for at most budget_us of work: what is left waits in
 * a->backlog, in order, for the next call (the loop reads keys and draws
 * between). True when something is left. */
bool app_drain_some(struct app *a, long long budget_us);

/* The ensemble probe's sockets and timer, for the loop's poll: fills fds
 * (at most max) and returns how many; *timeout is lowered to when the
 * probe next needs a turn. Then app_probe_run with the same fds. */
int app_probe_fds(struct app *a, struct pollfd *fds, int max, int *timeout);
void app_probe_run(struct app *a, const struct pollfd *fds, int n);

/* Brings the locks and registries up to date with the store (events for
 * what changed) and sends the reads they need. app_drain ends with it. */
void app_follow(struct app *a);

/* Rebuilds rows if the tree's shape changed; keeps the cursor on the
 * selected node (or the nearest surviving ancestor). */
void app_sync_rows(struct app *a);

/* Sends stat reads for the rows on screen that have none yet. */
void app_prefetch_visible(struct app *a);

/* Keys, already decoded to actions by the key table in ui.c. */
/* Every action a key can call: X(ID, "name", "what it does"). The name is
 * what `keys:` in the configuration binds; the text is the help screen's
 * (?). The default keys are in ui/keys.c. */
#define APP_ACTIONS(X)                                                                    \
    X(NONE, "none", "")                                                                   \
    X(QUIT, "quit", "quit")                                                               \
    X(UP, "up", "move up (scroll, in the detail pane)")                                   \
    X(DOWN, "down", "move down (scroll, in the detail pane)")                             \
    X(PAGE_UP, "page-up", "a page up")                                                    \
    X(PAGE_DOWN, "page-down", "a page down")                                              \
    X(HOME, "home", "the first row")                                                      \
    X(END, "end", "the last row")                                                         \
    X(EXPAND, "expand", "open; on an open node, go to its first child")                   \
    X(COLLAPSE, "collapse", "close; on a closed node, go to its parent")                  \
    X(TOGGLE, "toggle", "open or close")                                                  \
    X(FOCUS, "focus", "the tree or the detail pane")                                      \
    X(VIEW, "view", "the data as auto, text, JSON, hex")                                  \
    X(SCREEN_TREE, "tree", "the tree; on it, stops * or a find, else clears a filter")   \
    X(SCREEN_LOCKS, "locks", "the lock queues")                                           \
    X(SCREEN_SERVICES, "registries", "the service registries")                            \
    X(SCREEN_ENSEMBLE, "ensemble", "the ensemble's members")                              \
    X(SCREEN_EVENTS, "events", "the event log")                                           \
    X(SAVE_EVENTS, "save-events", "save the event log to a file")                         \
    X(DELETE, "delete", "delete the node (or contender, member) under the cursor")       \
    X(EDIT, "edit", "edit the node's data in $VISUAL/$EDITOR")                            \
    X(CREATE, "create", "create a node under the selected one")                           \
    X(RDELETE, "delete-tree", "delete the node and everything under it")                  \
    X(INLINE_EDIT, "edit-inline", "edit one line of data in place")                       \
    X(COMMAND, "command", "the command line")                                             \
    X(FILTER, "filter", "filter the tree by name")                                        \
    X(ACL, "acl", "edit the node's ACL")                                                  \
    X(SCREEN_SESSIONS, "sessions", "ephemeral nodes by owner session")                    \
    X(HELP, "help", "this list of keys")                                                  \
    X(JUMP, "jump", "go to a typed path (Tab completes child names)")                     \
    X(COPY_PATH, "copy-path", "copy the node's path to the clipboard (OSC 52)")           \
    X(COPY_DATA, "copy-data", "copy the node's text data to the clipboard (OSC 52)")      \
    X(EXPAND_ALL, "expand-all", "open the node and everything under it (bulk read; Esc stops)") \
    X(FIND, "find", "find nodes under the node by name (or data, -d); results as a list") \
    X(FIND_NEXT, "find-next", "go to the next result of the last find")                   \
    X(FIND_PREV, "find-prev", "go to the previous result of the last find")

#define APP_ACTION_ENUM_(id, name, help) ACT_##id,
enum action { APP_ACTIONS(APP_ACTION_ENUM_) ACT__COUNT };
#undef APP_ACTION_ENUM_

/* An action's name ("delete-tree") and help; "" out of range. */
const char *action_name(enum action act);
const char *action_help(enum action act);
/* The action named name, or ACT_NONE. */
enum action action_find(const char *name);
void app_act(struct app *a, enum action act);

/* The mouse, at screen line y, column x (the loop decodes curses' events):
 * a click selects the tree row under it (or focuses the detail pane), a
 * double click also opens or closes it, the wheel moves by 3. */
enum mouse_kind { MOUSE_CLICK, MOUSE_DOUBLE, MOUSE_WHEEL_UP, MOUSE_WHEEL_DOWN };
void app_mouse(struct app *a, int y, int x, enum mouse_kind kind);

/* A key while a prompt is up: y confirms, n/Esc/q cancels, others wait;
 * where text is asked, keys type it (127 erases, '\n' ends, Esc cancels).
 * The loop turns curses' KEY_BACKSPACE/KEY_ENTER into 127/'\n'. */
void app_prompt_key(struct app *a, int key);

/* Asks for text on the bottom line: kind's handler gets the keys through
 * app_prompt_type; prefill (NULL: none) is typed in already. Set
 * prompt.detail (the line above) first. */
void app_prompt_input(struct app *a, enum prompt_kind kind, const char *label,
                      const char *prefill);
/* A key for a text prompt: types, erases (127), or ends it ('\n': true,
 * prompt.input holds the text). Esc is taken by app_prompt_key first. */
bool app_prompt_type(struct app *a, int key);
/* Takes the prompt away (whatever kind). */
void app_prompt_clear(struct app *a);

/* Whether n may be deleted at all (not read-only, not the root, not the
 * server's /zookeeper); says why not. */
bool app_may_delete(struct app *a, const struct node *n);

/* d: asks whether to delete n (its version, owner, the lock or registry it
 * is in), or says why not. */
void app_ask_delete(struct app *a, struct node *n);

/* The node under a panel's cursor, as the pane draws it (copied; NULL: a
 * header line). */
void app_set_list_path(struct app *a, const char *path);

/* c: asks for a name under n (or a full path), the mode and the data,
 * then creates it; the new node is selected when it shows. */
void app_ask_create(struct app *a, struct node *n);

/* e: takes n's data and version for the editor (a->edit), or says why
 * not (read-only, not read yet, binary, ...). */
void app_ask_edit(struct app *a, struct node *n);

/* What the editor's file starts with: the data, or its hex form. */
void app_edit_file_text(const struct app *a, struct strbuf *out);

/* The editor is done: file holds the new text (len bytes of buf). Sends
 * it with the version read before, unless nothing changed. Clears
 * a->edit. False when file is no longer needed (nothing changed). */
bool app_edit_done(struct app *a, const char *buf, size_t len, const char *file);

/* D: lists everything under n (no watches) and asks for its name to be
 * typed before deleting it all, children first, each with the version
 * read. */
void app_ask_rdelete(struct app *a, struct node *n);
/* A reply of the walk (TAG_WALK). */
void app_walk_reply(struct app *a, const struct msg *m);
/* Enter on the name typed under D: deletes it all if it is the name. */
void app_rdelete_confirm(struct app *a);
/* Stops a walk (cancelled, or the session went). */
void app_walk_stop(struct app *a);

/* Deletes n nodes (children before parents) with their versions, in as
 * few transactions as fit; progress and the outcome in the status bar and
 * the log, stopping at the first failure. Copies what it is given. what:
 * how to name them all ("/x and everything under it"). False (with the
 * reason in the status bar) when nothing was sent. */
bool app_delete_nodes(struct app *a, char *const *paths, const int32_t *versions, size_t n,
                      const char *what);
/* The answer to one of its transactions. */
void app_on_delete_many(struct app *a, const struct msg *m);
/* Frees what a delete job holds. */
void app_del_job_free(struct app *a);

/* i: edits n's data on the bottom line (one line of text), or says why
 * not. */
void app_ask_inline(struct app *a, struct node *n);
/* Keys of the i prompt and of the conflict question. */
void app_edit_key(struct app *a, int key);
/* A set was answered: saved (the editor's file removed), or not: a node
 * changed meanwhile is read again and the operator asked to overwrite,
 * reload or cancel; otherwise why (the text kept). shown: the path,
 * display-safe; why: the reason. */
void app_saved(struct app *a, const struct msg *m);
void app_not_saved(struct app *a, const struct msg *m, const char *shown, const char *why);
/* The node read again after a conflict (TAG_FRESH). */
void app_fresh_reply(struct app *a, const struct msg *m);
/* Frees what a->saving holds (the file stays). */
void app_saving_free(struct app *a);

/* The answer to a change: the audit line, the status bar, the log. */
void app_on_write(struct app *a, const struct msg *m);

/* a: reads n's ACL afresh (the prompt says so meanwhile), then asks for the
 * new one in zkCli's form, prefilled; or says why not (read-only). */
void app_ask_acl(struct app *a, struct node *n);
/* The answer to that read (a MSG_ACL tagged TAG_ACL_EDIT): applied to the
 * store, then the prompt opens, or why not is said. */
void app_acl_read(struct app *a, const struct msg *m);
/* A key while the ACL prompt (PROMPT_ACL, PROMPT_ACL_CONFIRM) is up. */
void app_acl_key(struct app *a, int key);
/* The answer to an ACL change (op WRITE_ACL), after its audit line. */
void app_acl_written(struct app *a, const struct msg *m);

/* The node under the cursor (NULL only while the store is empty). */
struct node *app_selected(struct app *a);

/* Sets the status-bar error (printf-style), logs it, and marks the screen
 * dirty. */
void app_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds an event to the log (printf-style), stamped now. */
void app_event(struct app *a, enum event_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Wall clock, ms since the epoch. */
int64_t app_now_ms(void);

/* Writes the event log to a new file in $XDG_STATE_HOME/zktui (or
 * ~/.local/state/zktui); its name, or the reason it failed, in msg. */
bool app_save_events(struct app *a, char *msg, size_t len);

/* The same, to file (":w FILE"); an existing file only with overwrite. */
bool app_save_events_to(struct app *a, const char *file, bool overwrite, char *msg, size_t len);

/* $XDG_STATE_HOME/zktui (or ~/.local/state/zktui) in buf, made if
 * missing; false when there is no such place. */
bool app_state_dir(char *buf, size_t len);

/* : the command line. Keys the prompt needs beyond text (the loop turns
 * curses' arrows into these). */
#define APP_KEY_UP 0x10001
#define APP_KEY_DOWN 0x10002
void app_ask_command(struct app *a);
void app_command_key(struct app *a, int key);
/* Runs one command line ("cd /x", "locks", "w events.log", "q"); its
 * answer in the status bar. */
void app_run_command(struct app *a, const char *line);
/* Loads and saves the command history ($XDG_STATE_HOME/zktui/history). */
void app_history_load(struct app *a);
void app_history_save(const struct app *a);
void app_history_free(struct app *a);

/* /: the filter prompt (the tree follows each key), its keys, and Esc. */
void app_ask_filter(struct app *a);
void app_filter_key(struct app *a, int key);
void app_filter_clear(struct app *a);
/* Whether name holds the filter (always, when there is none); *off: where
 * (may be NULL). */
bool app_filter_match(const struct app *a, const char *name, size_t *off);
/* Drops from a->rows what a hiding filter hides (after store_flatten). */
void app_filter_rows(struct app *a);

/* J: asks for a path, prefilled with the node under the cursor and "/";
 * Tab completes the last segment from the parent's child names. */
void app_ask_jump(struct app *a);
/* A key for the jump prompt (Esc is taken by app_prompt_key first). */
void app_jump_key(struct app *a, int key);
/* The answer to a completion read (tagged TAG_COMPLETE): the prompt's, not
 * the store's. app_drain hands these over. */
void app_jump_reply(struct app *a, const struct msg *m);
/* Shows the tree with every ancestor of path (valid) opened, the usual
 * watched way, and selects path once it shows; or says where it stops. */
void app_jump_to(struct app *a, const char *path);
/* Carries a jump under way one step further, as answers come; app_drain
 * calls it. */
void app_jump_follow(struct app *a);
/* Drops a jump under way (app_act: a key means the operator moved on). */
void app_jump_cancel(struct app *a);
void app_jump_free(struct app *a);

/* Moves the cursor to n and selects it (data and children watched), when
 * n is a row (its ancestors open); false when it is not. */
bool app_select_row(struct app *a, struct node *n);

/* ---- bulk walks (app_bulk.c) ---- */

/* *: reads the subtree at n with a bulk walk (no watches), opening each
 * node as its list comes (a node with more than max_children children
 * stays closed, its count shown); progress on the status bar; Esc stops. */
void app_expand_all(struct app *a, struct node *n);
/* A message of a bulk walk (TAG_SCAN): to the expand or the find it is for;
 * a cancelled walk's are dropped. */
void app_bulk_reply(struct app *a, const struct msg *m);
/* Esc: stops the bulk walks under way (what is loaded stays); false when
 * none ran. */
bool app_bulk_stop(struct app *a);
/* The session expired: the walks are over (they asked the dead session). */
void app_bulk_session_lost(struct app *a);
/* The status bar's progress line for the walks under way, in buf; false
 * when none runs. */
bool app_bulk_progress(const struct app *a, char *buf, size_t len);
/* Frees what the walks hold (app_fini). */
void app_bulk_free(struct app *a);
/* A fresh walk id (never 0). */
uint16_t app_bulk_id(struct app *a);
/* CLOCK_MONOTONIC, in ms. */
long long app_mono_ms(void);
/* Elapsed ms and a count with thousands separators, for progress lines. */
long long app_bulk_elapsed(const struct bulk_run *b);
const char *app_count_text(uint64_t n, char *buf, size_t len);
/* --open PATH: jumps there, then opens it whole once it is selected. */
void app_open_at_start(struct app *a, const char *path);
/* app_drain's last step: --open's expand, and a big node whose Stat came. */
void app_bulk_follow(struct app *a);
/* Asks the server for the Stat of the rows on screen, and re-reads with a
 * watch the lists shown that a bulk walk read without one (bounded by what
 * is drawn). After each frame. */
void app_watch_visible(struct app *a);

/* The watch budget (app_watch.c). What a reconnection's SetWatches would
 * carry for the armed watches, in bytes (paths, their lengths, the chroot
 * prepended to each). */
size_t app_watch_wire(const struct app *a);
/* After each frame: marks what is on screen as seen now, and past the
 * budget removes the watches of what is not (nor selected, nor followed as
 * a lock or registry), the least recently shown first, down to 3/4 of it. */
void app_watch_budget(struct app *a);
/* The same without marking: after replies armed more, before they show. */
void app_watch_shed(struct app *a);
/* A watch removal's answer (MSG_UNWATCH). */
void app_unwatch_reply(struct app *a, const struct msg *m);

/* Sends the reads a->needs asks for, through app_gate_needs. */
void app_send_needs(struct app *a);
/* Holds back the reads of a list longer than max_children that no one
 * asked to see (the selection's, a scan's): dropped when its Stat says so,
 * sent once its Stat (read first) says it is short enough. Not for open
 * nodes, locks and registries, or a list the operator said y to. */
void app_gate_needs(struct app *a);

/* Whether n may be opened now: its children are listed already, or at most
 * max_children, or the operator said y. Otherwise its Stat is read first,
 * or the question asked ("... has 60,000 children: list them? y/n"), and
 * false. jump: for a jump under way, which waits for the answer. */
bool app_may_open(struct app *a, struct node *n, bool jump);
/* y or n (Esc) to that question. */
void app_big_key(struct app *a, int key);
/* app_bulk_follow's part: a node whose Stat came (asked about now, or
 * opened), the lists held back whose Stat came. */
void app_big_follow(struct app *a);
void app_big_free(struct app *a);
/* Opens n (children read with a watch); app_may_open is asked first. */
void app_expand(struct app *a, struct node *n);
/* Whether a jump is under way (not yet at its node). */
bool app_jump_busy(const struct app *a);

/* ---- find (app_find.c) ---- */

/* F: asks for the pattern; :find ARGS runs one ("-d PATTERN [PATH]",
 * "PATTERN [PATH]"; PATH absolute, or under the selection; none: the
 * selection), or with no ARGS shows the last results. */
void app_ask_find(struct app *a);
void app_find_key(struct app *a, int key);
void app_find_command(struct app *a, const char *args);
/* A message of the find's walk. */
void app_find_reply(struct app *a, const struct msg *m);
/* n (dir 1), N (dir -1): the next or previous result, in the tree. */
void app_find_step(struct app *a, int dir);
/* Enter on the results: jumps to the one under the cursor. */
void app_find_open(struct app *a);
/* Stops the find's walk (Esc); false when none ran. */
bool app_find_stop(struct app *a, const char *why);
bool app_find_progress(const struct app *a, char *buf, size_t len);
void app_find_free(struct app *a);
/* The results, for the pane: n of them; each path, and the data line that
 * matched (NULL: the name did). */
size_t app_find_count(const struct app *a);
const char *app_find_path(const struct app *a, size_t i, const char **line);
/* The pane's title: the pattern, where, and how far. */
void app_find_title(const struct app *a, char *buf, size_t len);

/* y (data false), Y (data true): the path, or the text data, of the node
 * under the cursor (tree, locks or registries) as an OSC 52 sequence in
 * a->clip, for the loop to write; or says why not. */
void app_copy(struct app *a, bool data);

#endif
