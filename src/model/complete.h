/* Completing the last segment of a typed znode path from its parent's child
 * names, the way a shell completes file names. Pure, any thread. */
#ifndef ZKTUI_MODEL_COMPLETE_H
#define ZKTUI_MODEL_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Splits typed text at its last '/': its first *parent_len bytes name the
 * parent ("/" for "/ap", "/app" for "/app/al" and for "/app/"), and the
 * segment being typed starts at s + *seg. False when s does not start with
 * '/'. */
bool complete_split(const char *s, size_t *parent_len, size_t *seg);

/* What names (count of them, any order) offer for prefix. */
struct completion {
    size_t n;      /* names that start with prefix */
    size_t first;  /* index in names of the first of them */
    size_t common; /* bytes all of them share, in whole UTF-8 characters;
                      at least strlen(prefix) when n > 0 */
};
void complete_names(const char *const *names, size_t count, const char *prefix,
                    struct completion *c);

/* Appends to out the matches of prefix among names, in the order given, for
 * a status line: "3 matches: alpha  alps  alto". Names are escaped
 * (display-safe); a name that would take the list past max bytes is left
 * out with the rest, said as "... (N more)" (about 20 bytes more). */
void complete_list(const char *const *names, size_t count, const char *prefix, size_t max,
                   struct strbuf *out);

#endif
