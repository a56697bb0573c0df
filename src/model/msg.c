#include "msg.h"

#include <stdlib.h>

void msg_free(struct msg *m)
{
    if (!m)
        return;
    for (int32_t i = 0; i < m->n_names; i++)
        free(m->names[i]);
    free(m->names);
    for (int32_t i = 0; i < m->n_acl; i++) {
        free(m->acl[i].scheme);
        free(m->acl[i].id);
    }
    free(m->acl);
    free(m->path);
    free(m->server);
    free(m->data);
    free(m->created);
    free(m->versions);
    free(m);
}

static const char *const conn_names[] = {
    [CONN_CONNECTING] = "connecting",
    [CONN_CONNECTED] = "connected",
    [CONN_READONLY] = "connected (read-only server)",
    [CONN_RECONNECTING] = "reconnecting",
    [CONN_EXPIRED] = "expired",
    [CONN_AUTH_FAILED] = "auth failed",
    [CONN_CLOSED] = "closed",
};

const char *conn_state_name(enum conn_state s)
{
    if ((unsigned)s < sizeof conn_names / sizeof conn_names[0])
        return conn_names[s];
    return "unknown";
}
