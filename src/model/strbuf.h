/* A growable byte string, always NUL-terminated. Not thread-safe; owned by
 * whoever declared it. */
#ifndef ZKTUI_MODEL_STRBUF_H
#define ZKTUI_MODEL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *s;     /* NULL until the first append */
    size_t len;
    size_t cap;
    bool oom;    /* set once an allocation failed; later appends are no-ops */
};

void sb_add(struct strbuf *b, const char *s, size_t n);
void sb_adds(struct strbuf *b, const char *s);
void sb_addc(struct strbuf *b, char c);
void sb_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_reset(struct strbuf *b);        /* len = 0, keeps the memory */
void sb_free(struct strbuf *b);
/* The text, "" when empty; valid until the next append. */
const char *sb_str(const struct strbuf *b);

#endif
