/* OSC 52; see osc52.h. */
#include "osc52.h"

#include <stdlib.h>

#include "sha1.h" /* base64_encode */

/* screen forwards a DCS string to the outer terminal as it is, but keeps
 * only so many bytes of one: 76 a piece is what others use and works. */
#define SCREEN_PIECE 76

bool osc52_build(const char *buf, size_t len, enum osc52_wrap wrap, struct strbuf *out)
{
    size_t n = 4 * ((len + 2) / 3);
    char *b64 = malloc(n + 1);
    if (!b64)
        return false;
    base64_encode((const unsigned char *)buf, len, b64, n + 1);
    if (wrap == OSC52_SCREEN) {
        sb_adds(out, "\033P\033]52;c;");
        for (size_t i = 0;; i += SCREEN_PIECE) {
            sb_add(out, b64 + i, n - i < SCREEN_PIECE ? n - i : SCREEN_PIECE);
            sb_adds(out, "\033\\");
            if (i + SCREEN_PIECE >= n)
                break;
            sb_adds(out, "\033P");
        }
        sb_adds(out, "\033P\a\033\\");
    } else {
        sb_adds(out, "\033]52;c;");
        sb_add(out, b64, n);
        sb_addc(out, '\a');
    }
    free(b64);
    return !out->oom;
}

enum osc52_wrap osc52_wrap_for(const char *tmux, const char *sty)
{
    return sty && sty[0] && !(tmux && tmux[0]) ? OSC52_SCREEN : OSC52_PLAIN;
}
