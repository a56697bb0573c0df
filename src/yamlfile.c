/* See yamlfile.h. */
#include "yamlfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_small(const char *file, const char *what, size_t *len, char *err,
                        size_t errlen)
{
    FILE *f = fopen(file, "rb");
    char *buf;
    size_t n;

    if (!f) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return NULL;
    }
    if (!(buf = malloc(YAMLFILE_MAX_BYTES + 1))) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", file);
        return NULL;
    }
    n = fread(buf, 1, YAMLFILE_MAX_BYTES + 1, f);
    if (ferror(f) || n > YAMLFILE_MAX_BYTES) {
        if (ferror(f))
            snprintf(err, errlen, "%s: %s", file, strerror(errno));
        else
            snprintf(err, errlen, "%s: larger than 1 MiB; not a %s", file, what);
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* libyaml's complaint as "FILE:LINE:COL: problem (context)". Reader errors
 * carry a byte offset only, so their line and column are counted here. */
static void yaml_failure(const yaml_parser_t *p, const char *file, const char *buf, char *err,
                         size_t errlen)
{
    yaml_mark_t m = p->problem_mark;
    const char *problem = p->error == YAML_MEMORY_ERROR ? "out of memory"
                          : p->problem                  ? p->problem
                                                        : "cannot parse";
    if (p->error == YAML_READER_ERROR) {
        m.line = m.column = 0;
        for (size_t i = 0; i < p->problem_offset && buf[i]; i++) {
            if (buf[i] == '\n') {
                m.line++;
                m.column = 0;
            } else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
                m.column++;
            }
        }
    }
    snprintf(err, errlen, "%s:%zu:%zu: %s%s%s%s", file, m.line + 1, m.column + 1, problem,
             p->context ? " (" : "", p->context ? p->context : "", p->context ? ")" : "");
}

/* Streams the events once, stopping at the first one too deep. A syntax
 * error is left for the real load to report. */
static bool depth_ok(const char *file, const char *buf, size_t len, char *err, size_t errlen)
{
    yaml_parser_t p;
    yaml_event_t e;
    int depth = 0;
    bool ok = true;

    if (!yaml_parser_initialize(&p))
        return true; /* the load will say "out of memory" */
    yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
    while (yaml_parser_parse(&p, &e)) {
        yaml_event_type_t t = e.type;
        if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) {
            if (++depth > YAMLFILE_MAX_DEPTH) {
                snprintf(err, errlen, "%s:%zu:%zu: nested deeper than %d levels", file,
                         e.start_mark.line + 1, e.start_mark.column + 1, YAMLFILE_MAX_DEPTH);
                ok = false;
            }
        } else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&e);
        if (!ok || t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

bool yamlfile_load(const char *file, const char *what, yaml_document_t *doc, char *err,
                   size_t errlen)
{
    yaml_parser_t parser;
    size_t len = 0;
    char *buf = read_small(file, what, &len, err, errlen);
    bool ok;

    if (!buf)
        return false;
    if (!depth_ok(file, buf, len, err, errlen)) {
        free(buf);
        return false;
    }
    if (!yaml_parser_initialize(&parser)) {
        free(buf);
        snprintf(err, errlen, "%s: out of memory", file);
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    ok = yaml_parser_load(&parser, doc);
    if (!ok)
        yaml_failure(&parser, file, buf, err, errlen);
    yaml_parser_delete(&parser);
    free(buf);
    return ok;
}

const char *yamlfile_scalar(const yaml_node_t *n)
{
    const char *s;
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    s = (const char *)n->data.scalar.value;
    return strlen(s) == n->data.scalar.length ? s : NULL;
}

const char *yamlfile_shown(const char *s, char *buf, size_t len)
{
    size_t i;
    for (i = 0; s[i] && i + 4 < len && i < 40; i++)
        buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i] && i + 4 <= len) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
    return buf;
}

bool yamlfile_vfail(const char *file, yaml_mark_t m, char *err, size_t errlen, const char *fmt,
                    va_list ap)
{
    int n = snprintf(err, errlen, "%s:%zu:%zu: ", file, m.line + 1, m.column + 1);
    if (n >= 0 && (size_t)n < errlen)
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    return false;
}
