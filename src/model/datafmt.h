/* Turning untrusted bytes (node names, node data) into safe, printable,
 * width-measured UTF-8 lines. Pure; needs setlocale(LC_CTYPE, "") or a UTF-8
 * locale for wcwidth. Any thread. */
#ifndef ZKTUI_MODEL_DATAFMT_H
#define ZKTUI_MODEL_DATAFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum data_kind { DATA_EMPTY, DATA_TEXT, DATA_JSON, DATA_BINARY };

/* What the bytes look like: empty; JSON (an object or array that parses);
 * text (valid UTF-8 with no control bytes other than \t \n \r); else binary. */
enum data_kind data_classify(const char *buf, size_t len);
const char *data_kind_name(enum data_kind k); /* "empty", "text", "json", "binary" */

/* Appends a display-safe copy of buf to out and returns its width in
 * terminal columns. C0/C1 controls and DEL become visible escapes (\n, \t,
 * \e, \x07, \u0085), bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E,
 * U+200F, U+061C) become \u202e, invalid UTF-8 bytes become \xff; every
 * other code point is copied. Nothing appended can move the cursor or
 * change terminal state. */
int text_sanitize(const char *buf, size_t len, struct strbuf *out);

/* text_sanitize of a NUL-terminated s into buf (cut to len): for a path in
 * a sentence. Returns buf. */
const char *text_shown(const char *s, char *buf, size_t len);

/* A duration, short: "850ms", "12.3s", "4m05s", "2h03m", "3d04h"; "?" when
 * negative (unknown). */
void format_age(long long ms, char *buf, size_t len);

/* Reads a duration typed by a person: "500ms", "30s", "10m", "2h", "7d",
 * combined ("1h30m"), or a bare number of milliseconds. False for
 * anything else, zero, or more than max_ms. */
bool duration_parse(const char *s, long long max_ms, long long *ms);

/* Binary data as text an editor can change: a comment line, then 16
 * bytes a line as "00000010: 48 65 6c 6c 6f ...  |Hello...|". */
void hex_edit_text(const char *data, size_t len, struct strbuf *out);
/* Reads such text back: on each line, what follows the offset's ':' (if
 * any) and precedes '|' is hex pairs, spaces anywhere; '#' lines are
 * comments. False with "line N: ..." in err for anything else. */
bool hex_edit_parse(const char *text, size_t len, struct strbuf *out, char *err, size_t errlen);

/* Display width of a string produced by text_sanitize. */
int text_width(const char *s);

/* Number of bytes at the start of s (a text_sanitize result) that fit in
 * cols terminal columns without splitting a character. */
size_t text_fit(const char *s, int cols);

/* A list of display-safe lines. */
struct lines {
    char **v;
    size_t n;
    size_t cap;
};
void lines_free(struct lines *l);

/* Renders data for the detail pane as kind `as`, appending to out:
 * DATA_TEXT: split on \n, tabs expanded to 4 columns, each line sanitized;
 * DATA_JSON: pretty-printed with 2-space indent (falls back to text when it
 * does not parse); DATA_BINARY: hex dump, "00000000  de ad be ef ...  |....|",
 * 16 bytes a line when that fits in cols columns (78), else 8 (45), else 4;
 * DATA_EMPTY: nothing. Returns false only when out of memory. */
bool data_render(const char *buf, size_t len, enum data_kind as, int cols, struct lines *out);

/* Columns one hex dump line of per_line bytes takes. */
int hex_line_width(int per_line);

/* Appends buf as a JSON string literal (with quotes), escaping as RFC 8259
 * requires; invalid UTF-8 bytes become \u00XX of the byte, and DEL, C1
 * controls and bidi controls are escaped too so the output is terminal-safe. */
void json_quote(const char *buf, size_t len, struct strbuf *out);

#endif
