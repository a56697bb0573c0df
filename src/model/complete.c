/* Path completion; see complete.h. */
#include "complete.h"

#include <string.h>

#include "datafmt.h"

bool complete_split(const char *s, size_t *parent_len, size_t *seg)
{
    const char *slash;
    if (!s || s[0] != '/')
        return false;
    slash = strrchr(s, '/');
    *parent_len = slash == s ? 1 : (size_t)(slash - s);
    *seg = (size_t)(slash - s) + 1;
    return true;
}

static bool starts_with(const char *s, const char *prefix, size_t plen)
{
    return strncmp(s, prefix, plen) == 0;
}

void complete_names(const char *const *names, size_t count, const char *prefix,
                    struct completion *c)
{
    size_t plen = strlen(prefix);
    const char *first = NULL;
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < count; i++) {
        const char *s = names[i];
        size_t k = 0;
        if (!starts_with(s, prefix, plen))
            continue;
        if (c->n++ == 0) {
            first = s;
            c->first = i;
            c->common = strlen(s);
            continue;
        }
        while (k < c->common && s[k] == first[k])
            k++;
        c->common = k;
    }
    if (!first)
        return;
    /* Never stop inside a character: two names that differ in a later byte
     * of one share only the bytes before it. */
    while (c->common > plen && ((unsigned char)first[c->common] & 0xc0) == 0x80)
        c->common--;
}

void complete_list(const char *const *names, size_t count, const char *prefix, size_t max,
                   struct strbuf *out)
{
    struct completion c;
    size_t plen = strlen(prefix), shown = 0, start = out->len;
    complete_names(names, count, prefix, &c);
    sb_addf(out, "%zu match%s:", c.n, c.n == 1 ? "" : "es");
    for (size_t i = c.first; i < count && shown < c.n; i++) {
        size_t before = out->len;
        if (!starts_with(names[i], prefix, plen))
            continue;
        sb_adds(out, shown ? "  " : " ");
        text_sanitize(names[i], strlen(names[i]), out);
        if (out->len - start > max) {
            out->len = before;
            if (out->s)
                out->s[before] = '\0';
            break;
        }
        shown++;
    }
    if (shown < c.n)
        sb_addf(out, "  ... (%zu more)", c.n - shown);
}
