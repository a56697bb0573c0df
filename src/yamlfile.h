/* Reading a small YAML file (config.yaml, a theme) into a libyaml document,
 * with errors as "FILE:LINE:COL: problem". No curses; main thread. */
#ifndef ZKTUI_YAMLFILE_H
#define ZKTUI_YAMLFILE_H

#include <stdbool.h>
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

#endif
