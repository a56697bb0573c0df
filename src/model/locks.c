/* Lock recognition and ordering; see locks.h. */
#include "locks.h"

#include <stdlib.h>
#include <string.h>

#include "path.h"

/* True when the len bytes before the sequence number end with tag. */
static bool tag_before(const char *name, size_t len, const char *tag)
{
    size_t t = strlen(tag);
    return len >= t && memcmp(name + len - t, tag, t) == 0;
}

bool lock_parse(const char *name, struct lock_entry *e)
{
    long long seq;
    size_t head, len = name_seq_len(name, &seq);

    if (len == 0)
        return false;
    head = strlen(name) - len; /* the bytes before the number */
    e->name = name;
    e->seq = seq;
    e->user = NULL;
    e->role = LOCK_WRITE;
    e->recipe = RECIPE_PLAIN;
    if (tag_before(name, head, "__rlock__")) {
        e->recipe = RECIPE_KAZOO;
        e->role = LOCK_READ;
    } else if (tag_before(name, head, "__lock__")) {
        e->recipe = RECIPE_KAZOO;
    } else if (strncmp(name, "_c_", 3) == 0 && tag_before(name, head, "-__READ__")) {
        e->recipe = RECIPE_CURATOR;
        e->role = LOCK_READ;
    } else if (strncmp(name, "_c_", 3) == 0 &&
               (tag_before(name, head, "-__WRIT__") || tag_before(name, head, "-lock-"))) {
        e->recipe = RECIPE_CURATOR;
    } else if (head == 5 && strncmp(name, "read-", 5) == 0) {
        e->role = LOCK_READ;
    }
    return true;
}

static int by_seq(const void *pa, const void *pb)
{
    const struct lock_entry *a = pa, *b = pb;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    return strcmp(a->name, b->name);
}

size_t lock_order(struct lock_entry *v, size_t n)
{
    size_t holders = 0;
    bool writer_seen = false;

    if (n > 1)
        qsort(v, n, sizeof *v, by_seq);
    for (size_t i = 0; i < n; i++) {
        if (v[i].role == LOCK_READ)
            v[i].holds = !writer_seen;
        else
            v[i].holds = i == 0;
        if (v[i].role == LOCK_WRITE)
            writer_seen = true;
        holders += v[i].holds;
    }
    return holders;
}

const char *lock_role_name(enum lock_role r)
{
    return r == LOCK_READ ? "read" : "write";
}

const char *lock_recipe_name(enum lock_recipe r)
{
    switch (r) {
    case RECIPE_KAZOO:
        return "kazoo";
    case RECIPE_CURATOR:
        return "curator";
    case RECIPE_PLAIN:
        break;
    }
    return "plain";
}
