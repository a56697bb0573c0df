/* The store's nodes, each with its path and name, carved out of 64 KiB
 * chunks by size (8-byte classes up to ARENA_MAX), and a freed block kept
 * on its class's list for the next node of that size. A node costs its
 * size rounded up to 8 bytes: no malloc header, no 16-byte rounding. The
 * chunks go back to the system only with the whole arena.
 *
 * Freed blocks are poisoned for AddressSanitizer and marked inaccessible
 * for valgrind, so a node used after it was freed is still caught. UI
 * thread only, like the store. */
#ifndef ZKTUI_MODEL_ARENA_H
#define ZKTUI_MODEL_ARENA_H

#include <stddef.h>

#define ARENA_MAX 1024 /* larger blocks (very long paths) are malloc's */

/* ARENA_ASAN: built with AddressSanitizer (gcc says so one way, clang
 * another), so freed blocks are poisoned. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif

struct arena_chunk;

struct arena {
    struct arena_chunk *chunks; /* newest first; the newest is carved from */
    size_t left;                /* bytes not yet carved in the newest */
    void *free[ARENA_MAX / 8];  /* per class (size / 8 - 1): freed blocks */
    size_t held;                /* bytes of chunks (and big blocks) */
    size_t live;                /* bytes handed out and not freed */
};

/* A zeroed block of size bytes (8-aligned), or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);

/* Gives back p, allocated with the same size. */
void arena_free(struct arena *a, void *p, size_t size);

/* Frees every chunk: every block of the arena is gone. */
void arena_clear(struct arena *a);

#endif
