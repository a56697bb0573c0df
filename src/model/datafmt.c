/* Display-safe rendering of untrusted bytes; see datafmt.h.
 *
 * Everything that reaches the terminal from a node goes through
 * text_sanitize: it is the one place that decides what may be printed raw. */
#include "datafmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "utf8.h"

#define JSON_MAX_DEPTH 256
#define TAB_WIDTH 4

static bool is_bidi(unsigned c)
{
    return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
           c == 0x200f || c == 0x061c;
}

/* Invisible format characters (zero width, joiners, the BOM, soft hyphen,
 * tags): a name with one looks like a name without, and terminals do not
 * agree on whether they take a column. Combining marks are not here: they
 * show, on the character before them. */
static bool is_invisible(unsigned c)
{
    return c == 0x00ad || c == 0x180e || (c >= 0x200b && c <= 0x200d) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0x206a && c <= 0x206f) || c == 0xfeff ||
           (c >= 0xfff9 && c <= 0xfffb) || c == 0xe0001 || (c >= 0xe0020 && c <= 0xe007f);
}

/* ---- classification ---------------------------------------------------- */

static bool utf8_text(const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;

    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return false;
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f))
            return false;
        i += n;
    }
    return true;
}

/* A small strict JSON parser (RFC 8259) that either only validates (out ==
 * NULL) or pretty-prints while it goes. */
struct json {
    const char *s;
    size_t len, i;
    int depth;
    struct strbuf *out; /* the line being built */
    struct lines *lines;
    bool oom;
};

static void json_ws(struct json *j)
{
    while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' ||
                             j->s[j->i] == '\r'))
        j->i++;
}

static bool lines_push(struct lines *l, char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
    return true;
}

/* Moves the line being built into the list and starts the next one
 * indented by depth levels. */
static void json_newline(struct json *j)
{
    char *s;

    if (!j->out)
        return;
    s = strdup(sb_str(j->out));
    if (!s || j->out->oom || !lines_push(j->lines, s)) {
        free(s);
        j->oom = true;
    }
    sb_reset(j->out);
    for (int k = 0; k < j->depth; k++)
        sb_adds(j->out, "  ");
}

static void json_emit(struct json *j, const char *s, size_t n)
{
    if (j->out)
        text_sanitize(s, n, j->out);
}

static bool json_value(struct json *j);

static bool json_string(struct json *j)
{
    size_t start = j->i;

    if (j->i >= j->len || j->s[j->i] != '"')
        return false;
    j->i++;
    while (j->i < j->len) {
        unsigned char c = (unsigned char)j->s[j->i];
        if (c == '"') {
            j->i++;
            json_emit(j, j->s + start, j->i - start);
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            j->i++;
            if (j->i >= j->len)
                return false;
            c = (unsigned char)j->s[j->i];
            if (c == 'u') {
                for (int k = 1; k <= 4; k++) {
                    char h = j->i + k < j->len ? j->s[j->i + k] : '\0';
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return false;
                }
                j->i += 4;
            } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
                return false;
            }
            j->i++;
        } else {
            unsigned cp;
            size_t n = utf8_decode((const unsigned char *)j->s + j->i, j->len - j->i, &cp);
            if (n == 0)
                return false;
            j->i += n;
        }
    }
    return false;
}

static bool json_digits(struct json *j)
{
    size_t start = j->i;

    while (j->i < j->len && j->s[j->i] >= '0' && j->s[j->i] <= '9')
        j->i++;
    return j->i > start;
}

static bool json_number(struct json *j)
{
    size_t start = j->i;

    if (j->i < j->len && j->s[j->i] == '-')
        j->i++;
    if (j->i < j->len && j->s[j->i] == '0')
        j->i++;
    else if (!json_digits(j))
        return false;
    if (j->i < j->len && j->s[j->i] == '.') {
        j->i++;
        if (!json_digits(j))
            return false;
    }
    if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (!json_digits(j))
            return false;
    }
    json_emit(j, j->s + start, j->i - start);
    return true;
}

static bool json_word(struct json *j, const char *w)
{
    size_t n = strlen(w);

    if (j->len - j->i < n || memcmp(j->s + j->i, w, n) != 0)
        return false;
    json_emit(j, w, n);
    j->i += n;
    return true;
}

/* An object or an array: open is '{' or '['. Members go one per line;
 * empty containers stay on one line as {} or []. */
static bool json_container(struct json *j, char open)
{
    char close = open == '{' ? '}' : ']';
    bool first = true;

    if (++j->depth > JSON_MAX_DEPTH)
        return false;
    j->i++;
    if (j->out)
        sb_addc(j->out, open);
    json_ws(j);
    if (j->i < j->len && j->s[j->i] == close) {
        j->i++;
        j->depth--;
        if (j->out)
            sb_addc(j->out, close);
        return true;
    }
    for (;;) {
        if (!first && j->out)
            sb_addc(j->out, ',');
        first = false;
        json_newline(j);
        json_ws(j);
        if (open == '{') {
            if (!json_string(j))
                return false;
            json_ws(j);
            if (j->i >= j->len || j->s[j->i] != ':')
                return false;
            j->i++;
            if (j->out)
                sb_adds(j->out, ": ");
            json_ws(j);
        }
        if (!json_value(j))
            return false;
        json_ws(j);
        if (j->i < j->len && j->s[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->i < j->len && j->s[j->i] == close) {
            j->i++;
            j->depth--;
            json_newline(j);
            if (j->out)
                sb_addc(j->out, close);
            return true;
        }
        return false;
    }
}

static bool json_value(struct json *j)
{
    if (j->i >= j->len)
        return false;
    switch (j->s[j->i]) {
    case '{':
    case '[':
        return json_container(j, j->s[j->i]);
    case '"':
        return json_string(j);
    case 't':
        return json_word(j, "true");
    case 'f':
        return json_word(j, "false");
    case 'n':
        return json_word(j, "null");
    default:
        return json_number(j);
    }
}

/* Parses a whole document that is an object or an array; with out set,
 * pretty-prints it into lines. */
static bool json_parse(const char *buf, size_t len, struct strbuf *out, struct lines *lines,
                       bool *oom)
{
    struct json j = {.s = buf, .len = len, .out = out, .lines = lines};

    json_ws(&j);
    if (j.i >= len || (buf[j.i] != '{' && buf[j.i] != '['))
        return false;
    if (!json_value(&j))
        return false;
    json_ws(&j);
    if (oom)
        *oom = j.oom;
    return j.i == len;
}

enum data_kind data_classify(const char *buf, size_t len)
{
    if (len == 0)
        return DATA_EMPTY;
    if (!utf8_text(buf, len))
        return DATA_BINARY;
    if (json_parse(buf, len, NULL, NULL, NULL))
        return DATA_JSON;
    return DATA_TEXT;
}

const char *data_kind_name(enum data_kind k)
{
    switch (k) {
    case DATA_EMPTY:
        return "empty";
    case DATA_TEXT:
        return "text";
    case DATA_JSON:
        return "json";
    case DATA_BINARY:
        return "binary";
    }
    return "?";
}

/* ---- sanitizing ----------------------------------------------------------- */

static int code_point_width(unsigned cp)
{
    return wcwidth((wchar_t)cp);
}

int text_sanitize(const char *buf, size_t len, struct strbuf *out)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    int width = 0;

    sb_add(out, "", 0); /* so that sb_str is never NULL-backed after a call */
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        int w;

        if (n == 0) {
            sb_addf(out, "\\x%02x", s[i]);
            width += 4;
            i++;
            continue;
        }
        if (cp >= 0x20 && cp < 0x7f) {
            sb_addc(out, (char)cp);
            width++;
        } else if (cp == '\n' || cp == '\t' || cp == '\r' || cp == 0x1b) {
            sb_addc(out, '\\');
            sb_addc(out, cp == '\n' ? 'n' : cp == '\t' ? 't' : cp == '\r' ? 'r' : 'e');
            width += 2;
        } else if (cp < 0x20 || cp == 0x7f) {
            sb_addf(out, "\\x%02x", cp);
            width += 4;
        } else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi(cp) || is_invisible(cp) ||
                   (w = code_point_width(cp)) < 0) {
            /* C1 controls, bidi overrides, invisible characters, and anything
             * the locale cannot measure (unassigned, line separators, a
             * non-UTF-8 locale). */
            if (cp > 0xffff) {
                sb_addf(out, "\\U%08x", cp);
                width += 10;
            } else {
                sb_addf(out, "\\u%04x", cp);
                width += 6;
            }
        } else {
            sb_add(out, buf + i, n);
            width += w;
        }
        i += n;
    }
    return width;
}

/* The character at s (len > 0 bytes left) in a text_sanitize result: its
 * byte length, and its width in *w. A stray byte (not from text_sanitize)
 * counts as one column. */
static size_t next_char(const char *s, size_t len, int *w)
{
    unsigned cp;
    size_t n = utf8_decode((const unsigned char *)s, len, &cp);

    if (n == 0) {
        *w = 1;
        return 1;
    }
    *w = code_point_width(cp);
    if (*w < 0)
        *w = 0;
    return n;
}

int text_width(const char *s)
{
    size_t len = strlen(s), i = 0;
    int width = 0, w;

    while (i < len) {
        i += next_char(s + i, len - i, &w);
        width += w;
    }
    return width;
}

size_t text_fit(const char *s, int cols)
{
    size_t len = strlen(s), i = 0;
    int used = 0, w;

    while (i < len) {
        size_t n = next_char(s + i, len - i, &w);
        if (used + w > cols)
            break;
        used += w;
        i += n;
    }
    return i;
}

void lines_free(struct lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* ---- rendering ------------------------------------------------------------ */

static bool push_line(struct lines *out, struct strbuf *b)
{
    char *s = b->oom ? NULL : strdup(sb_str(b));

    sb_reset(b);
    if (!s || !lines_push(out, s)) {
        free(s);
        return false;
    }
    return true;
}

/* One line of text (no \n inside): tabs expand to the next multiple of
 * TAB_WIDTH columns, everything else is sanitized. */
static void text_line(const char *s, size_t len, struct strbuf *b)
{
    int col = 0;
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\t')
            continue;
        col += text_sanitize(s + start, i - start, b);
        if (i < len) {
            do {
                sb_addc(b, ' ');
                col++;
            } while (col % TAB_WIDTH);
        }
        start = i + 1;
    }
}

static bool render_text(const char *buf, size_t len, struct lines *out)
{
    struct strbuf b = {0};
    size_t start = 0;
    bool ok = true;

    for (size_t i = 0; i <= len && ok; i++) {
        if (i < len && buf[i] != '\n')
            continue;
        if (i == len && start == len && len > 0)
            break; /* data ending in \n has no empty last line */
        text_line(buf + start, i - start, &b);
        ok = push_line(out, &b);
        start = i + 1;
    }
    sb_free(&b);
    return ok;
}

int hex_line_width(int per_line)
{
    /* offset and 2 spaces, "xx " a byte, a space after the 8th, " |", the
     * bytes as characters, "|" */
    return 10 + 3 * per_line + (per_line > 8) + 2 + per_line + 1;
}

static bool render_hex(const char *buf, size_t len, int cols, struct lines *out)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t per = hex_line_width(16) <= cols ? 16 : hex_line_width(8) <= cols ? 8 : 4;
    struct strbuf b = {0};
    bool ok = true;

    for (size_t off = 0; off < len && ok; off += per) {
        sb_addf(&b, "%08zx  ", off);
        for (size_t k = 0; k < per; k++) {
            if (off + k < len)
                sb_addf(&b, "%02x ", s[off + k]);
            else
                sb_adds(&b, "   ");
            if (k == 7 && per > 8)
                sb_addc(&b, ' ');
        }
        sb_adds(&b, " |");
        for (size_t k = 0; k < per && off + k < len; k++)
            sb_addc(&b, s[off + k] >= 0x20 && s[off + k] < 0x7f ? (char)s[off + k] : '.');
        sb_addc(&b, '|');
        ok = push_line(out, &b);
    }
    sb_free(&b);
    return ok;
}

static bool render_json(const char *buf, size_t len, struct lines *out)
{
    struct strbuf b = {0};
    struct lines tmp = {0};
    bool oom = false, ok;

    ok = json_parse(buf, len, &b, &tmp, &oom);
    if (ok && !oom)
        oom = !push_line(&tmp, &b);
    sb_free(&b);
    if (!ok || oom) {
        lines_free(&tmp);
        return oom ? false : render_text(buf, len, out);
    }
    for (size_t i = 0; i < tmp.n; i++) {
        if (!lines_push(out, tmp.v[i])) {
            for (; i < tmp.n; i++)
                free(tmp.v[i]);
            free(tmp.v);
            return false;
        }
    }
    free(tmp.v);
    return true;
}

bool data_render(const char *buf, size_t len, enum data_kind as, int cols, struct lines *out)
{
    switch (as) {
    case DATA_EMPTY:
        return true;
    case DATA_TEXT:
        return render_text(buf, len, out);
    case DATA_JSON:
        return render_json(buf, len, out);
    case DATA_BINARY:
        return render_hex(buf, len, cols, out);
    }
    return true;
}

void json_quote(const char *buf, size_t len, struct strbuf *out)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;

    sb_addc(out, '"');
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            sb_addf(out, "\\u%04x", s[i]);
            i++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            sb_addc(out, '\\');
            sb_addc(out, (char)cp);
        } else if (cp == '\n') {
            sb_adds(out, "\\n");
        } else if (cp == '\t') {
            sb_adds(out, "\\t");
        } else if (cp == '\r') {
            sb_adds(out, "\\r");
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || is_bidi(cp) || is_invisible(cp)) {
            /* Valid JSON either way; escaped so the output is terminal-safe. */
            sb_addf(out, "\\u%04x", cp);
        } else {
            sb_add(out, buf + i, n);
        }
        i += n;
    }
    sb_addc(out, '"');
}

void format_age(long long ms, char *buf, size_t len)
{
    long long s = ms / 1000;
    if (ms < 0)
        snprintf(buf, len, "?");
    else if (ms < 1000)
        snprintf(buf, len, "%lldms", ms);
    else if (s < 60)
        snprintf(buf, len, "%lld.%llds", s, ms % 1000 / 100);
    else if (s < 3600)
        snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
    else if (s < 86400)
        snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    else
        snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

bool duration_parse(const char *s, long long max_ms, long long *ms)
{
    static const struct { const char *unit; long long ms; } units[] = {
        { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
    };
    long long total = 0;
    bool bare = true;
    if (!s || !*s)
        return false;
    while (*s) {
        long long n = 0;
        size_t i, ulen = 0;
        const char *start = s;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (n > max_ms)
                return false;
            n = n * 10 + (*s - '0');
        }
        if (s == start)
            return false;
        /* The longest unit that matches: "ms" before "m". */
        for (i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strncmp(s, units[i].unit, strlen(units[i].unit)) == 0 &&
                !(units[i].unit[0] == 'm' && units[i].unit[1] == '\0' && s[1] == 's'))
                break;
        if (i < sizeof units / sizeof units[0])
            ulen = strlen(units[i].unit);
        else if (*s || !bare)
            return false; /* a bare number is milliseconds, alone */
        if (ulen) {
            bare = false;
            if (n > max_ms / units[i].ms)
                return false;
            n *= units[i].ms;
            s += ulen;
        }
        total += n;
        if (total > max_ms)
            return false;
    }
    if (total <= 0)
        return false;
    *ms = total;
    return true;
}

void hex_edit_text(const char *data, size_t len, struct strbuf *out)
{
    sb_adds(out, "# hex: change, add or remove byte pairs; offsets and |text| are ignored\n");
    for (size_t off = 0; off < len; off += 16) {
        size_t n = len - off < 16 ? len - off : 16;
        sb_addf(out, "%08zx:", off);
        for (size_t i = 0; i < 16; i++) {
            if (i < n)
                sb_addf(out, " %02x", (unsigned char)data[off + i]);
            else
                sb_adds(out, "   ");
        }
        sb_adds(out, "  |");
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)data[off + i];
            sb_addc(out, c >= 0x20 && c < 0x7f && c != '|' ? (char)c : '.');
        }
        sb_adds(out, "|\n");
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hex_edit_parse(const char *text, size_t len, struct strbuf *out, char *err, size_t errlen)
{
    size_t i = 0;
    int line = 0;
    while (i < len) {
        size_t end = i, stop, colon;
        int hi = -1;
        line++;
        while (end < len && text[end] != '\n')
            end++;
        if (i < end && text[i] == '#') {
            i = end + 1;
            continue;
        }
        for (stop = i; stop < end && text[stop] != '|'; stop++)
            ;
        for (colon = i; colon < stop && text[colon] != ':'; colon++)
            ;
        if (colon < stop)
            i = colon + 1;
        for (; i < stop; i++) {
            int d = hex_digit(text[i]);
            if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
                if (hi >= 0) {
                    snprintf(err, errlen, "line %d: a lone hex digit", line);
                    return false;
                }
                continue;
            }
            if (d < 0) {
                snprintf(err, errlen, "line %d: '%c' is not a hex digit", line,
                         (unsigned char)text[i] >= 0x20 && (unsigned char)text[i] < 0x7f
                             ? text[i] : '?');
                return false;
            }
            if (hi < 0)
                hi = d;
            else {
                sb_addc(out, (char)(hi << 4 | d));
                hi = -1;
            }
        }
        if (hi >= 0) {
            snprintf(err, errlen, "line %d: a lone hex digit", line);
            return false;
        }
        i = end + 1;
    }
    if (out->oom) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    return true;
}

const char *text_shown(const char *s, char *buf, size_t len)
{
    struct strbuf b = { 0 };
    text_sanitize(s, strlen(s), &b);
    snprintf(buf, len, "%s", sb_str(&b));
    sb_free(&b);
    return buf;
}
