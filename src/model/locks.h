/* Lock queues: which children of a lock node hold it and which wait.
 * Pure; any thread. See DESIGN.md, "Locks".
 *
 * A contender is a child whose name ends in the 10-digit sequence number
 * ZooKeeper appends. The queue is ordered by that number, never by the
 * whole name: prefixes differ per client (kazoo puts a uuid first,
 * Curator "_c_<uuid>-lock-"). Recipes recognised by name:
 *
 *   hand-written   seq-0000000007, lock_id_0000000007, lock-0000000007
 *   ZooKeeper doc  read-0000000007 / write-0000000007 (shared locks)
 *   kazoo          <id>__lock__0000000007, <id>__rlock__0000000007
 *   Curator        _c_<uuid>-lock-0000000007,
 *                  _c_<uuid>-__READ__0000000007, _c_<uuid>-__WRIT__0000000007
 *
 * A mutex is a queue of writers. Who holds: the first writer when it is
 * first in the queue; every reader before the first writer. */
#ifndef ZKTUI_MODEL_LOCKS_H
#define ZKTUI_MODEL_LOCKS_H

#include <stdbool.h>
#include <stddef.h>

enum lock_role { LOCK_WRITE, LOCK_READ };
enum lock_recipe { RECIPE_PLAIN, RECIPE_KAZOO, RECIPE_CURATOR };

struct lock_entry {
    const char *name;   /* not owned */
    long long seq;
    enum lock_role role;
    enum lock_recipe recipe;
    bool holds;
    const void *user;   /* the caller's, carried along by lock_order */
};

/* Fills e from a child name; false when the name has no sequence suffix
 * (not a contender). */
bool lock_parse(const char *name, struct lock_entry *e);

/* Sorts v by sequence number (equal numbers by name, so the order is
 * stable) and marks who holds. Returns how many hold. */
size_t lock_order(struct lock_entry *v, size_t n);

const char *lock_role_name(enum lock_role r);     /* "write", "read" */
const char *lock_recipe_name(enum lock_recipe r); /* "plain", "kazoo", "curator" */

#endif
