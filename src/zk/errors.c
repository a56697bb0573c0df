/* C client return codes as sentences an operator can act on. */
#include "zk/session.h"

#include <zookeeper/zookeeper.h>

static const struct {
    int rc;
    const char *text;
} texts[] = {
    { ZOK, "ok" },
    { ZSYSTEMERROR, "system error (out of memory?)" },
    { ZRUNTIMEINCONSISTENCY, "client runtime inconsistency" },
    { ZDATAINCONSISTENCY, "data inconsistency" },
    { ZCONNECTIONLOSS, "connection to the server lost" },
    { ZMARSHALLINGERROR, "could not encode or decode a message" },
    { ZUNIMPLEMENTED, "the server does not implement this" },
    { ZOPERATIONTIMEOUT, "the server did not answer in time" },
    { ZBADARGUMENTS, "invalid arguments" },
    { ZINVALIDSTATE, "the session is not usable (expired or auth failed)" },
    { ZNEWCONFIGNOQUORUM, "no quorum for the new configuration" },
    { ZRECONFIGINPROGRESS, "a reconfiguration is in progress" },
    { ZSSLCONNECTIONERROR, "TLS connection error" },
    { ZNONODE, "no such node" },
    { ZNOAUTH, "not allowed (NOAUTH)" },
    { ZBADVERSION, "the node changed meanwhile (version mismatch)" },
    { ZNOCHILDRENFOREPHEMERALS, "ephemeral nodes cannot have children (NOCHILDRENFOREPHEMERALS)" },
    { ZNODEEXISTS, "the node already exists" },
    { ZNOTEMPTY, "the node has children" },
    { ZSESSIONEXPIRED, "the session expired" },
    { ZINVALIDCALLBACK, "invalid callback" },
    { ZINVALIDACL, "the server refused the ACL as invalid (INVALIDACL)" },
    { ZAUTHFAILED, "authentication failed: the server refused the credentials (AUTHFAILED)" },
    { ZCLOSING, "the session is closing" },
    { ZNOTHING, "no server responses to process" },
    { ZSESSIONMOVED, "the session moved to another server" },
    { ZNOTREADONLY, "the server is read-only" },
    { ZEPHEMERALONLOCALSESSION, "ephemeral nodes need a global session" },
    { ZNOWATCHER, "no such watch" },
    { ZRECONFIGDISABLED, "reconfiguration is disabled" },
    { ZSESSIONCLOSEDREQUIRESASLAUTH, "the server requires SASL authentication" },
    { ZTHROTTLEDOP, "the server throttled the request" },
};

const char *zk_strerror(int rc)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].rc == rc)
            return texts[i].text;
    return zerror(rc);
}
