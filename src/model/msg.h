/* Messages from the ZooKeeper threads to the UI thread. Each message owns
 * every byte it points to (deep copies: the C client frees its buffers when
 * a callback returns). Built on the ZooKeeper completion thread, consumed and
 * freed on the UI thread. */
#ifndef ZKTUI_MODEL_MSG_H
#define ZKTUI_MODEL_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include "zstat.h"

enum conn_state {
    CONN_CONNECTING,   /* first connection of a session not made yet */
    CONN_CONNECTED,
    CONN_READONLY,     /* connected to a read-only server */
    CONN_RECONNECTING, /* connection lost, session may still be alive */
    CONN_EXPIRED,
    CONN_AUTH_FAILED,
    CONN_CLOSED,
};

enum watch_event {
    WEV_CREATED,
    WEV_DELETED,
    WEV_CHANGED,
    WEV_CHILD,
    WEV_NOT_WATCHING,
};

/* Result of a request, as the model needs it; the C client's own code and
 * its text travel beside it for the status bar. */
enum zres {
    ZRES_OK,
    ZRES_NONODE,
    ZRES_NOAUTH,
    ZRES_CONNLOSS,  /* connection loss, operation timeout, closing */
    ZRES_EXPIRED,
    ZRES_BADVERSION, /* a change against a version the node no longer has */
    ZRES_NOTEMPTY,
    ZRES_EXISTS,
    ZRES_OTHER,
    ZRES_UNIMPLEMENTED, /* e.g. a TTL node on a server without extended types */
    ZRES_AUTHFAILED, /* the credentials were refused: the session is closed */
};

enum msg_kind {
    MSG_SESSION,  /* state, session_id, server */
    MSG_WATCH,    /* event, path */
    MSG_CHILDREN, /* reply to a children read: path, names, stat */
    MSG_DATA,     /* reply to a data read: path, data, stat */
    MSG_STAT,     /* reply to an exists read: path, stat */
    MSG_ACL,      /* reply to an ACL read: path, acl, stat */
    MSG_WRITE,    /* reply to a change: op, version, path, rc */
    MSG_WALK_END, /* a bulk walk (src/zk/walk.h) is over: path its top, rc
                     0 or why it stopped early (connection lost) */
    MSG_UNWATCH,  /* a watch removal answered: path, event (WEV_CHILD: the
                     child watch, WEV_CHANGED: the data watch), rc */
};

/* What a MSG_WRITE answers. */
enum write_op { WRITE_DELETE, WRITE_SET, WRITE_CREATE, WRITE_DELETE_MANY, WRITE_ACL };

/* How a node is created. */
enum create_mode { CREATE_PERSISTENT, CREATE_EPHEMERAL, CREATE_PERSISTENT_SEQ,
                   CREATE_EPHEMERAL_SEQ, CREATE_CONTAINER, CREATE_TTL, CREATE_TTL_SEQ };

/* Flags a request carries to its reply. */
enum msg_tag {
    TAG_WATCH = 1u << 0, /* the read left a watch */
    TAG_BULK = 1u << 1,  /* part of a bulk read (--dump), not the live view */
    TAG_WALK = 1u << 2,  /* D counting a subtree: for the walk, not the store;
                            the walk's number rides in the bits above 16 */
    TAG_PARENT = 1u << 4, /* a missing parent made for a create */
    TAG_FRESH = 1u << 5,  /* a node read again after a conflicting set */
    TAG_ACL_EDIT = 1u << 6, /* an ACL read for the editor (a): opens it */
    TAG_COMPLETE = 1u << 3, /* J's completion: a list for the prompt, not the store */
    TAG_SCAN = 1u << 7,   /* a reply of a bulk walk (src/zk/walk.h), with
                             TAG_BULK; the walk's id rides in the bits above 16 */
    TAG_UNWATCH_KIDS = 1u << 8, /* a MSG_UNWATCH of the child watch */
    TAG_UNWATCH_DATA = 1u << 9, /* a MSG_UNWATCH of the data watch */
};

struct acl_entry {
    int32_t perms; /* ACL_READ 1, WRITE 2, CREATE 4, DELETE 8, ADMIN 16 */
    char *scheme;
    char *id;
};

struct msg {
    struct msg *next;
    enum msg_kind kind;
    uint32_t epoch;      /* session generation the request was made in */
    uint32_t tag;        /* what asked: enum msg_tag flags */
    enum zres res;
    int rc;              /* the C client's return code */
    char *path;
    /* MSG_SESSION */
    enum conn_state state;
    int64_t session_id;
    char *server;        /* "host:port" or NULL */
    /* MSG_WATCH */
    enum watch_event event;
    /* replies */
    bool has_stat;
    struct zstat stat;
    char **names;
    int32_t n_names;
    char *data;          /* NULL for a node whose data is null */
    int32_t data_len;
    struct acl_entry *acl;
    int32_t n_acl;
    /* MSG_WRITE */
    enum write_op op;
    int32_t version;     /* the version the change was made against */
    char *created;       /* WRITE_CREATE: the path made (with its sequence number) */
    /* WRITE_DELETE_MANY: names holds the paths, in the order sent, each
     * with its version; path is the one that failed, or the last. */
    int32_t *versions;
    int32_t failed;      /* index of the op that failed, -1: all deleted */
};

/* Frees m and everything it owns. NULL is fine. */
void msg_free(struct msg *m);

/* Text for a connection state, e.g. "connected", "reconnecting". */
const char *conn_state_name(enum conn_state s);

#endif
