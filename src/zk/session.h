/* One ZooKeeper session and its asynchronous reads. Every reply and watch
 * event becomes a struct msg pushed on the queue given to zk_new; nothing
 * here blocks, except zk_free and zk_renew, which join the client's threads.
 * All functions: the thread that owns the struct zk (the UI thread). */
#ifndef ZKTUI_ZK_SESSION_H
#define ZKTUI_ZK_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "model/queue.h"

struct zk;

/* Starts connecting to hosts ("h:p[,h:p...][/chroot]"). The C client logs
 * to log (never NULL: pass a file, or /dev/null). Returns NULL with a
 * sentence in err when the client refuses the host string. */
struct zk *zk_new(struct queue *q, const char *hosts, int session_timeout_ms,
                  FILE *log, char *err, size_t errlen);

/* TLS for every session opened after this: the CA, certificate and key
 * files, through the C client's zookeeper_init_ssl, looked up when called
 * (Debian's libzookeeper-mt is built without OpenSSL and has none). False,
 * with the reason in err, when this client cannot do TLS. Main thread,
 * before any zk_new. */
bool zk_use_tls(const char *ca, const char *cert, const char *key, char *err, size_t errlen);

/* Closes the session (its ephemerals go) and frees z. After it returns no
 * callback runs, so the queue may be freed. */
void zk_free(struct zk *z);

/* After an expiry: closes the dead handle and opens a new session on the
 * same hosts. Bumps the epoch, so replies of the old one can be told apart.
 * False (with err) when the client refuses to start. */
bool zk_renew(struct zk *z, char *err, size_t errlen);

/* Session generation; messages carry the one they were asked in. */
uint32_t zk_epoch(const struct zk *z);

/* Reads; the reply arrives as a message with the given tag (TAG_WATCH is
 * added when watch is true). False when the request could not be queued
 * (handle closed or expired); the reason is in zk_last_error. */
bool zk_get_children(struct zk *z, const char *path, bool watch, uint32_t tag);
bool zk_get_data(struct zk *z, const char *path, bool watch, uint32_t tag);
bool zk_exists(struct zk *z, const char *path, uint32_t tag);
bool zk_get_acl(struct zk *z, const char *path, uint32_t tag);

/* Removes this session's watches of path (child and/or data: kids, data)
 * on the server and in the client (zoo_aremove_watches, not local), so a
 * reconnection no longer re-sends them. Each kind is answered by a
 * MSG_UNWATCH; a kind the client no longer holds (fired meanwhile) is
 * not asked and not answered. False when none could be sent. */
bool zk_unwatch(struct zk *z, const char *path, bool kids, bool data);

/* Changes. Each is sent with the version the caller read (-1: any, never
 * used by the UI), and answered by a MSG_WRITE with the C client's code
 * (ZBADVERSION: the node changed since). False when not sent: read-only
 * mode (nothing is ever sent then), or the handle is closed. */
bool zk_delete(struct zk *z, const char *path, int32_t version, uint32_t tag);
/* Sets the data (len bytes, copied by the client) if the node still has
 * version; the answer carries the new Stat. */
bool zk_set_data(struct zk *z, const char *path, const char *data, int32_t len, int32_t version,
                 uint32_t tag);

/* Creates path (open ACL) with len bytes of data; the answer carries the
 * path made (a sequential node's number appended). ttl_ms: for the TTL
 * modes (the server deletes the node once it has had no child for that
 * long; it must run with zookeeper.extendedTypesEnabled=true), else 0. */
bool zk_create(struct zk *z, const char *path, const char *data, int32_t len,
               enum create_mode mode, int64_t ttl_ms, uint32_t tag);

/* Deletes n nodes (paths[i] with versions[i], children before their
 * parent) in one transaction: all go, or none does. Answered by one
 * MSG_WRITE, op WRITE_DELETE_MANY: rc is the code of the op that failed
 * (failed: its index) and path that node. At most ZK_MULTI_MAX ops, whose
 * paths stay well under the server's 1 MB request limit. */
#define ZK_MULTI_MAX 1000
#define ZK_MULTI_BYTES (256 * 1024) /* of path, at most, in one */
bool zk_delete_many(struct zk *z, char *const *paths, const int32_t *versions, size_t n,
                    uint32_t tag);

/* Read-only mode: every change refused before it reaches the client. */
void zk_set_read_only(struct zk *z, bool on);
bool zk_read_only(const struct zk *z);
/* Changes sent, ever (tests and the status bar). */
unsigned long zk_writes_sent(const struct zk *z);

/* Writes the audit line of a change's answer to the client's log: time,
 * cluster, action, path, version, result. UI thread. */
void zk_audit(struct zk *z, const struct msg *m);

/* Requests sent whose reply has not been taken off the queue yet. */
int zk_in_flight(const struct zk *z);
/* The UI thread calls this for each reply message it takes. */
void zk_reply_taken(struct zk *z);

/* "host:port" of the server the client is talking to, or "" (a copy in
 * buf). */
const char *zk_server(struct zk *z, char *buf, size_t len);
int64_t zk_session_id(struct zk *z);

/* The hosts string this session was opened with. */
const char *zk_hosts(const struct zk *z);

/* A plain sentence for a C client return code. */
const char *zk_strerror(int rc);

/* Credentials: cred is "scheme:credential" (checked by auth_check), sent
 * with zoo_add_auth on this session and on every one zk_renew opens. The
 * secret is kept in memory only, never logged or shown. False when out of
 * memory or the client refuses it. */
bool zk_add_auth(struct zk *z, const char *cred);
/* What may be shown of them, "digest:alice, ip" ("" for none), in buf. */
const char *zk_auth_shown(const struct zk *z, char *buf, size_t len);
size_t zk_auth_count(const struct zk *z);
/* The digest ids (user:HASH) of the digest credentials, owned by z. */
size_t zk_auth_ids(const struct zk *z, const char *const **ids);

/* Sets path's ACL to the n entries of v (copied) if its ACL version is
 * still aversion; answered by a MSG_WRITE of op WRITE_ACL (without the
 * new Stat: read the ACL again). Refused (false) like every change in
 * read-only mode. */
bool zk_set_acl(struct zk *z, const char *path, const struct acl_entry *v, int32_t n,
                int32_t aversion, uint32_t tag);

#endif
