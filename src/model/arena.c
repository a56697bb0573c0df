#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* valgrind's client requests cost a few instructions outside valgrind. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define VG_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#endif
#ifndef VG_NOACCESS
#define VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#define VG_DEFINED(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK (64 * 1024)

struct arena_chunk {
    struct arena_chunk *next;
    size_t pad; /* blocks start 16-aligned */
    unsigned char mem[];
};

static size_t round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static void *block_take(void *p, size_t size)
{
    UNPOISON(p, size);
    VG_UNDEFINED(p, size);
    memset(p, 0, size);
    return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
    size_t cls;
    void *p;
    size = round8(size ? size : 1);
    if (size > ARENA_MAX) {
        if ((p = calloc(1, size))) {
            a->held += size;
            a->live += size;
        }
        return p;
    }
    cls = size / 8 - 1;
    if ((p = a->free[cls])) {
        void *next;
        UNPOISON(p, sizeof next);
        VG_DEFINED(p, sizeof next);
        memcpy(&next, p, sizeof next);
        a->free[cls] = next;
        a->live += size;
        return block_take(p, size);
    }
    if (!a->chunks || a->left < size) {
        /* What is left of the old chunk (under ARENA_MAX) stays unused. */
        struct arena_chunk *c = malloc(sizeof *c + CHUNK);
        if (!c)
            return NULL;
        POISON(c->mem, CHUNK);
        VG_NOACCESS(c->mem, CHUNK);
        c->next = a->chunks;
        a->chunks = c;
        a->left = CHUNK;
        a->held += CHUNK;
    }
    p = a->chunks->mem + (CHUNK - a->left);
    a->left -= size;
    a->live += size;
    return block_take(p, size);
}

void arena_free(struct arena *a, void *p, size_t size)
{
    size_t cls;
    if (!p)
        return;
    size = round8(size ? size : 1);
    a->live -= size;
    if (size > ARENA_MAX) {
        a->held -= size;
        free(p);
        return;
    }
    cls = size / 8 - 1;
    memcpy(p, &a->free[cls], sizeof(void *));
    a->free[cls] = p;
    /* The link stays readable to the arena only: poisoned with the rest,
     * and unpoisoned again before it is read. */
    POISON(p, size);
    VG_NOACCESS(p, size);
}

void arena_clear(struct arena *a)
{
    struct arena_chunk *c = a->chunks;
    while (c) {
        struct arena_chunk *next = c->next;
        UNPOISON(c->mem, CHUNK);
        free(c);
        c = next;
    }
    memset(a, 0, sizeof *a);
}
