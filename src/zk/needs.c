#include "zk/needs.h"

static uint32_t pending_flag(enum need_kind k)
{
    switch (k) {
    case NEED_KIDS:
    case NEED_SCAN: return NODE_KIDS_PENDING;
    case NEED_DATA:
    case NEED_INFO: return NODE_DATA_PENDING;
    case NEED_ACL: break;
    }
    return 0;
}

void zk_send_needs(struct zk *z, struct store *s, struct need_list *needs)
{
    for (size_t i = 0; i < needs->n; i++) {
        const struct need *nd = &needs->v[i];
        struct node *n = store_get(s, nd->path);
        uint32_t pending = pending_flag(nd->kind);
        bool ok = false;
        if (!n || (n->flags & pending))
            continue;
        switch (nd->kind) {
        case NEED_KIDS:
        case NEED_SCAN:
            ok = zk_get_children(z, nd->path, nd->kind == NEED_KIDS, 0);
            break;
        case NEED_DATA:
        case NEED_INFO:
            ok = zk_get_data(z, nd->path, nd->kind == NEED_DATA, 0);
            break;
        case NEED_ACL:
            ok = zk_get_acl(z, nd->path, 0);
            break;
        }
        if (ok)
            n->flags |= pending;
    }
    need_clear(needs);
}
