/* Refusals in words; see refusal.h. */
#include "zk/refusal.h"

#include <stdio.h>
#include <string.h>

#include <zookeeper/zookeeper.h>

#include "model/acl.h"
#include "model/path.h"

/* What a request needs, and on which node: its own, or its parent. */
static const char *needed(const struct msg *m, bool *on_parent)
{
    *on_parent = false;
    if (m->kind != MSG_WRITE)
        return m->kind == MSG_ACL ? "READ or ADMIN" : "READ";
    switch (m->op) {
    case WRITE_DELETE:
    case WRITE_DELETE_MANY: *on_parent = true; return acl_perm_name(ACL_DELETE);
    case WRITE_CREATE: *on_parent = true; return acl_perm_name(ACL_CREATE);
    case WRITE_SET: return acl_perm_name(ACL_WRITE);
    case WRITE_ACL: return acl_perm_name(ACL_ADMIN);
    }
    return "the";
}

static const char *noauth(const struct zk *z, const struct msg *m, char *buf, size_t len)
{
    char who[256], node[512];
    bool parent;
    const char *perm = needed(m, &parent), *path = m->path ? m->path : "?";
    if (parent && m->path) {
        size_t n = path_parent_len(path);
        snprintf(node, sizeof node, "%.*s, the parent", (int)(n ? n : 1), n ? path : "/");
    } else
        snprintf(node, sizeof node, "%s", path);
    /* A read refused is "no access"; a change, "not allowed". */
    const char *what = m->kind == MSG_WRITE ? "not allowed" : "no access";
    if (zk_auth_count(z))
        snprintf(buf, len, "%s: your credentials (%s) lack %s permission on %s (NOAUTH)", what,
                 zk_auth_shown(z, who, sizeof who), perm, node);
    else
        snprintf(buf, len, "%s: with no credentials, zktui lacks %s permission on %s (NOAUTH)",
                 what, perm, node);
    return buf;
}

const char *zk_refusal(const struct zk *z, const struct msg *m, char *buf, size_t len)
{
    if (m->rc == ZNOAUTH)
        return noauth(z, m, buf, len);
    if (m->rc == ZNOCHILDRENFOREPHEMERALS) {
        snprintf(buf, len, "its parent is ephemeral, and %s", zk_strerror(m->rc));
        return buf;
    }
    if (m->rc == ZINVALIDACL || m->rc == ZAUTHFAILED) {
        snprintf(buf, len, "%s", zk_strerror(m->rc));
        return buf;
    }
    return NULL;
}
