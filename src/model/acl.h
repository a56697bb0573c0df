/* ZooKeeper ACLs and credentials as text. An ACL is written as zkCli's
 * setAcl takes it: entries scheme:id:perms separated by commas, perms the
 * letters of cdrwa. It is parsed and checked here before anything is sent.
 * Credentials are "scheme:credential", as zoo_add_auth takes them; what
 * may be shown of them is the scheme and a digest's user, never more.
 * Pure functions, any thread. */
#ifndef ZKTUI_MODEL_ACL_H
#define ZKTUI_MODEL_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "strbuf.h"

/* The server's permission bits. */
enum acl_perm { ACL_READ = 1, ACL_WRITE = 2, ACL_CREATE = 4, ACL_DELETE = 8, ACL_ADMIN = 16,
                ACL_ALL = 31 };

/* perms as zkCli writes them: the letters of "cdrwa" that are set, in that
 * order ("" for none) into buf (6 bytes). */
void acl_perms_text(int32_t perms, char buf[6]);

/* "READ", "WRITE", "CREATE", "DELETE" or "ADMIN" for one bit; "?" else. */
const char *acl_perm_name(int32_t perm);

/* Entries parsed from text (owned: acl_list_free). */
struct acl_list {
    struct acl_entry *v;
    int32_t n;
    int hashed; /* digest entries given as user:password, hashed here */
};
void acl_list_free(struct acl_list *l);

/* Parses text into out (emptied first). Blanks around entries are
 * ignored. Schemes: world (id anyone), digest (user:HASH, HASH the 28
 * base64 characters of the SHA-1 of user:password; anything else after
 * the user is taken as the password and hashed), ip (an IPv4 address or
 * an IPv6 one, optionally /bits), auth (any id, usually empty: the server
 * puts the session's own credentials there), and any other scheme with a
 * non-empty id, passed as written. False with a sentence in why naming the
 * entry by number, scheme and (digest) user: a password is never quoted. */
bool acl_parse(const char *text, struct acl_list *out, char *why, size_t whylen);

/* Appends the zkCli form of n entries to out. */
void acl_format(const struct acl_entry *v, int32_t n, struct strbuf *out);

/* True for a digest entry whose hash the server hid ("user:x"): it does
 * so for a reader without ADMIN on the node. */
bool acl_entry_hidden(const struct acl_entry *e);

/* True when s (a digest id's part after "user:") looks like a hash: 27
 * base64 characters and '='. */
bool acl_is_digest_hash(const char *s);

/* The digest id "user:BASE64(SHA1(user:password))" of cred ("user:password",
 * len bytes, the user ending at the first ':') into out. False when there
 * is no ':' or out is too small (60 bytes suffice for a user of 30). */
bool acl_digest_id(const char *cred, size_t len, char *out, size_t outlen);

/* Would the entries leave ADMIN to a session holding the digest ids
 * (user:HASH, nids of them)? KEPT: world:anyone, auth or one of the ids
 * has it; UNKNOWN: only entries zktui cannot judge (ip, other schemes)
 * have it; LOST: none. */
enum acl_admin { ACL_ADMIN_KEPT, ACL_ADMIN_LOST, ACL_ADMIN_UNKNOWN };
enum acl_admin acl_admin_after(const struct acl_entry *v, int32_t n, const char *const *ids,
                               size_t nids);

/* Checks a credential "scheme:credential": a scheme, and for digest a
 * non-empty user before a ':'. False with a sentence in why that never
 * quotes the secret. */
bool auth_check(const char *cred, char *why, size_t whylen);

/* What may be shown of a credential: "digest:alice", or the scheme alone
 * for any other ("ip", "x509"). */
void auth_shown(const char *cred, char *buf, size_t len);

#endif
