/* Reading a small YAML file (config.yaml, a theme) into a libyaml document,
 * with errors as "FILE:LINE:COL: problem". No curses; main thread. */
#ifndef ZKTUI_YAMLFILE_H
#define ZKTUI_YAMLFILE_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

#include <yaml.h>

/* Files bigger than this are refused unread. */
#define YAMLFILE_MAX_BYTES (1024 * 1024)
/* Deeper nesting is refused before it is loaded: libyaml's scanner takes
 * time quadratic in the depth (200,000 brackets: a minute). */
#define YAMLFILE_MAX_DEPTH 64

/* Loads file into doc (the caller deletes it with yaml_document_delete).
 * On failure: false, doc untouched, and err says why, e.g.
 * "FILE: No such file or directory", "FILE: larger than 1 MiB; not a
 * WHAT", "FILE:3:7: did not find expected key (while parsing a block
 * mapping)", "FILE:2:70: nested deeper than 64 levels". */
bool yamlfile_load(const char *file, const char *what, yaml_document_t *doc, char *err,
                   size_t errlen);

/* Helpers for the loaders walking the document. */

/* The scalar's text, or NULL when n is no scalar or holds a NUL byte. */
const char *yamlfile_scalar(const yaml_node_t *n);

/* User text fit for a one-line message: at most 40 bytes, odd bytes as ?,
 * "..." when cut; written into buf (len bytes), which is returned. */
const char *yamlfile_shown(const char *s, char *buf, size_t len);

/* "FILE:LINE:COL: " and the message into err (errlen bytes). Returns
 * false, so a loader can `return fail_at(...)`. */
bool yamlfile_vfail(const char *file, yaml_mark_t m, char *err, size_t errlen, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));

#endif
