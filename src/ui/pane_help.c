/* The help screen (?): every action, the keys that call it now (the
 * defaults as rebound by `keys:` in the configuration) and what it does;
 * then the mouse and the prompts' own keys. */
#include "ui/draw.h"
#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

static const char *const extra[] = {
    "",
    "mouse: a click selects the row under it, a double click opens or closes it, the wheel moves",
    "in a question: y / n, Esc cancels; in a text prompt: Backspace, Enter, Esc",
    "in the command line: Tab completes, Up / Down walk the history",
    "keys: in config.yaml rebinds these by name, e.g.  keys: { quit: [q, C-c], down: [j, Down] }",
};
#define NEXTRA (sizeof extra / sizeof extra[0])

static void help_draw(struct app *a, struct rect r, bool focused)
{
    size_t *top = &a->list_top[SCREEN_HELP], n = (size_t)ACT__COUNT - 1 + NEXTRA;
    char line[400], keys[120];
    draw_title(r, focused, "Keys  (the keymap in force)  j/k scroll  Esc: back");
    r.y++;
    r.h--;
    a->list_height = r.h;
    list_clamp(top, n, r.h);
    for (int y = 0; y < r.h; y++) {
        size_t i = *top + (size_t)y;
        draw_fill(r.y + y, r.x, r.w, theme_attr(THEME_DEFAULT));
        if (i + 1 < ACT__COUNT) {
            enum action act = (enum action)(i + 1);
            if (a->keymap)
                keymap_keys_of(a->keymap, act, keys, sizeof keys);
            else
                keys[0] = '\0';
            snprintf(line, sizeof line, " %-18s", keys[0] ? keys : "(no key)");
            int x = r.x + draw_safe(r.y + y, r.x, r.w, theme_attr(THEME_HELP_KEY), line);
            snprintf(line, sizeof line, " %-12s %s", action_name(act), action_help(act));
            draw_safe(r.y + y, x, r.x + r.w - x, theme_attr(THEME_DETAIL_VALUE), line);
        } else if (i + 1 - ACT__COUNT < NEXTRA) {
            snprintf(line, sizeof line, " %s", extra[i + 1 - ACT__COUNT]);
            draw_safe(r.y + y, r.x, r.w, theme_attr(THEME_DETAIL_LABEL), line);
        }
    }
}

const struct pane_ops pane_help = { "help", help_draw };
