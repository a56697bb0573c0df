/* libFuzzer: everything that turns node data into screen text or back: the
 * detail pane's text, JSON and hex renderings at several widths, sanitizing,
 * JSON quoting and the hex editor's parser. The rendered lines must be
 * display-safe: no control byte may reach the terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No C0 control, DEL, or C1 control (U+0080-U+009F, 0xc2 0x80-0x9f). */
static void check_safe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f ||
            ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
             (unsigned char)s[1] <= 0x9f))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    static const int widths[] = { 1, 20, 45, 80, 200 };
    struct strbuf sb = { 0 };
    char err[128];
    for (int k = DATA_EMPTY; k <= DATA_BINARY; k++)
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            struct lines l = { 0 };
            data_render(buf, size, (enum data_kind)k, widths[w], &l);
            for (size_t i = 0; i < l.n; i++) {
                check_safe(l.v[i]);
                (void)text_width(l.v[i]);
                (void)text_fit(l.v[i], widths[w]);
            }
            lines_free(&l);
        }
    (void)data_classify(buf, size);
    text_sanitize(buf, size, &sb);
    check_safe(sb_str(&sb));
    sb_reset(&sb);
    json_quote(buf, size, &sb);
    check_safe(sb_str(&sb));
    sb_reset(&sb);
    hex_edit_parse(buf, size, &sb, err, sizeof err);
    sb_free(&sb);
    return 0;
}
