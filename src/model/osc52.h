/* The OSC 52 escape sequence that asks a terminal to put text on the
 * clipboard. Pure, any thread; the UI writes it. */
#ifndef ZKTUI_MODEL_OSC52_H
#define ZKTUI_MODEL_OSC52_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum osc52_wrap {
    OSC52_PLAIN,  /* for the terminal itself, or tmux (set-clipboard on) */
    OSC52_SCREEN, /* inside GNU screen: passed through in DCS pieces */
};

/* Appends to out ESC ] 52 ; c ; <base64 of len bytes of buf> BEL, wrapped
 * as wrap says. False when out of memory. */
bool osc52_build(const char *buf, size_t len, enum osc52_wrap wrap, struct strbuf *out);

/* The wrapping the environment calls for, given $TMUX and $STY (NULL when
 * unset): screen's only when inside screen and not in a tmux inside it. */
enum osc52_wrap osc52_wrap_for(const char *tmux, const char *sty);

#endif
