/* A ZooKeeper node's Stat, copied out of the C client so the model never
 * includes zookeeper.h. Field meanings are the server's. */
#ifndef ZKTUI_MODEL_ZSTAT_H
#define ZKTUI_MODEL_ZSTAT_H

#include <stdint.h>

struct zstat {
    int64_t czxid;
    int64_t mzxid;
    int64_t pzxid;
    int64_t ctime; /* ms since the epoch, server clock */
    int64_t mtime;
    int64_t ephemeral_owner; /* 0 for persistent nodes */
    int32_t version;
    int32_t cversion;
    int32_t aversion;
    int32_t data_length;
    int32_t num_children;
};

#endif
