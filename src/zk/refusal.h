/* Why the server refused a request for lack of rights or a bad ACL, as a
 * sentence an operator can act on: which permission, on which node, and
 * with which credentials. UI thread. */
#ifndef ZKTUI_ZK_REFUSAL_H
#define ZKTUI_ZK_REFUSAL_H

#include <stddef.h>

#include "model/msg.h"
#include "zk/session.h"

/* For an answer (a read or a change) with NOAUTH, INVALIDACL, AUTHFAILED
 * or NOCHILDRENFOREPHEMERALS: the sentence, in buf ("not allowed: your
 * credentials (digest:alice) lack DELETE permission on /app, the parent
 * (NOAUTH)"). NULL for any other answer. */
const char *zk_refusal(const struct zk *z, const struct msg *m, char *buf, size_t len);

#endif
