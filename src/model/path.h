/* ZooKeeper path helpers. Pure functions, any thread. */
#ifndef ZKTUI_MODEL_PATH_H
#define ZKTUI_MODEL_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* True when p is a path the server would accept: leading '/', no trailing
 * '/' (except "/" itself), no empty, "." or ".." segments, no NUL, no code
 * points the server refuses (U+0000-U+001F, U+007F-U+009F, U+D800-U+F8FF,
 * U+FFF0-U+FFFF) and valid UTF-8. On false, *why (if not NULL) points to a
 * static sentence saying what is wrong. */
bool path_is_valid(const char *p, const char **why);

/* Newly allocated "parent/name" ("/name" when parent is "/"); NULL when out
 * of memory. The caller frees. */
char *path_join(const char *parent, const char *name);

/* Number of bytes of p that make its parent: 1 for "/a" (the parent is
 * "/"), 2 for "/a/b" (the parent is "/a"), 0 for "/", which has none. */
size_t path_parent_len(const char *p);

/* Pointer into p at its last segment ("" for "/"). */
const char *path_basename(const char *p);

/* Number of segments: 0 for "/", 1 for "/a", 2 for "/a/b". */
int path_depth(const char *p);

/* Length of the sequence suffix ZooKeeper appends to sequential nodes at
 * the end of name: 10 ("0000000007", or "-000000007" once the counter has
 * wrapped), 11 ("-2147483648"), 0 when there is none. *seq (if not NULL)
 * receives its order key: the counter read as unsigned, so a wrapped
 * number sorts after every positive one. "-1500000000" is read as the
 * positive 1500000000 after a "-": the name alone cannot tell them apart. */
size_t name_seq_len(const char *name, long long *seq);
/* name_seq_len(name, seq) > 0. */
bool name_seq_suffix(const char *name, long long *seq);

/* True when s is a connect string the C client can use:
 * host:port[,host:port...][/chroot], host a name, an IPv4 address or a
 * [bracketed] IPv6 address, port 1-65535, the chroot a valid path. On
 * false, *why (if not NULL) says what is wrong. Names are not resolved. */
bool connect_string_valid(const char *s, const char **why);

#endif
