/* Keys: their names as the configuration writes them ("j", "C-f", "PgDn",
 * "F1"), the default keymap, and rebinding (`keys:` in config.yaml). Key
 * codes are curses' (KEY_UP ...), but nothing here needs a terminal. */
#ifndef ZKTUI_UI_KEYS_H
#define ZKTUI_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/app.h"

#define KEYMAP_MAX 160

struct keymap {
    struct {
        int key;
        enum action act;
    } v[KEYMAP_MAX];
    size_t n;
};

/* Arrows and vi keys both, as README's table says. */
void keymap_defaults(struct keymap *m);

/* A key's name to its code: a printable character as itself ("j", ":",
 * "?"), "C-a".."C-z", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home",
 * "End", "Enter", "Tab", "Esc", "Space", "Backspace", "Delete", "Insert",
 * "F1".."F12". False for anything else. */
bool key_parse(const char *name, int *key);
/* The name of a code ("C-f", "PgDn", "?"); "key 0x1234" for others. */
void key_format(int key, char *buf, size_t len);

/* Makes keys[0..n) the keys of act, instead of the ones it had; a key
 * another action had moves (a line into warn saying so, "" otherwise). */
void keymap_bind(struct keymap *m, enum action act, const int *keys, size_t n, char *warn,
                 size_t wlen);

/* The action of key, ACT_NONE if none. */
enum action keymap_action(const struct keymap *m, int key);

/* The keys of act as one string ("j, Down"), "" if none. */
void keymap_keys_of(const struct keymap *m, enum action act, char *buf, size_t len);

#endif
