/* A node's children in name order: a counted B+ tree, so that a child is
 * found, added or removed in O(log n) and the i-th one reached in O(log n),
 * however long the list. A list of up to 512 children (nearly every list)
 * is a single array, sized in powers of two as before.
 *
 * The tree holds pointers to nodes and reads only their names; it neither
 * owns nor frees them. UI thread only, like the store. */
#ifndef ZKTUI_MODEL_KIDS_H
#define ZKTUI_MODEL_KIDS_H

#include <stdbool.h>
#include <stdint.h>

struct node;
struct kids; /* opaque: NULL is the empty list */

#define KIDS_LEAF 64 /* entries in a block of a tree, leaf or inner */
#define KIDS_MAXH 12 /* levels: enough for 2^32 entries at the lowest fill */

/* Entries in the list. O(1) for a single array, O(KIDS_LEAF) otherwise. */
uint32_t kids_count(const struct kids *k);

/* The i-th entry (i < kids_count). */
struct node *kids_at(const struct kids *k, uint32_t i);

/* The index of the entry named name, or where one would go (*found false). */
uint32_t kids_search(const struct kids *k, const char *name, bool *found);

/* Inserts v at index at (at <= kids_count); the caller keeps the order.
 * False when out of memory, the list as it was. */
bool kids_insert(struct kids **k, uint32_t at, struct node *v);

/* Removes the entry at index at (at < kids_count). Never allocates. */
void kids_remove(struct kids **k, uint32_t at);

/* A list of the n entries of v (already in order); *out NULL for n = 0.
 * False when out of memory (*out NULL). */
bool kids_build(struct node *const *v, uint32_t n, struct kids **out);

void kids_free(struct kids *k);

/* In order: for (k = kids_first(l, &it); k; k = kids_next(&it)) */
struct kids_iter {
    const struct kids *b[KIDS_MAXH];
    uint16_t at[KIDS_MAXH];
    int top; /* index of the leaf in b, -1 when done */
};
struct node *kids_first(const struct kids *k, struct kids_iter *it);
struct node *kids_next(struct kids_iter *it);

/* For tests: checks order, counts and fill; returns 0, or a line number
 * of kids.c naming the broken rule. */
int kids_check(const struct kids *k);

/* Height of the tree (0: a single array or empty). */
int kids_height(const struct kids *k);

#endif
