/* Key names and the keymap; see keys.h. */
#include "ui/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#define ACTION_ROW_(id, name, help) { name, help },
static const struct {
    const char *name;
    const char *help;
} actions[] = { APP_ACTIONS(ACTION_ROW_) };
#undef ACTION_ROW_

const char *action_name(enum action act)
{
    return (unsigned)act < ACT__COUNT ? actions[act].name : "";
}

const char *action_help(enum action act)
{
    return (unsigned)act < ACT__COUNT ? actions[act].help : "";
}

enum action action_find(const char *name)
{
    for (int i = 1; i < ACT__COUNT; i++)
        if (strcmp(actions[i].name, name) == 0)
            return (enum action)i;
    return ACT_NONE;
}

static const struct {
    const char *name;
    int key;
} named[] = {
    { "Up", KEY_UP },         { "Down", KEY_DOWN },     { "Left", KEY_LEFT },
    { "Right", KEY_RIGHT },   { "PgUp", KEY_PPAGE },    { "PgDn", KEY_NPAGE },
    { "Home", KEY_HOME },     { "End", KEY_END },       { "Enter", '\n' },
    { "Tab", '\t' },          { "Esc", 27 },            { "Space", ' ' },
    { "Backspace", KEY_BACKSPACE }, { "Delete", KEY_DC }, { "Insert", KEY_IC },
};

bool key_parse(const char *name, int *key)
{
    size_t len = strlen(name);
    if (len == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 0x7f) {
        *key = name[0];
        return true;
    }
    if (len == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z') {
        *key = name[2] - 'a' + 1;
        return true;
    }
    if ((len == 2 || len == 3) && name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
        int n = atoi(name + 1);
        if (n >= 1 && n <= 12 && (len == 2 || (name[2] >= '0' && name[2] <= '9'))) {
            *key = KEY_F(n);
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(named[i].name, name) == 0) {
            *key = named[i].key;
            return true;
        }
    return false;
}

void key_format(int key, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].key == key) {
            snprintf(buf, len, "%s", named[i].name);
            return;
        }
    if (key > ' ' && key < 0x7f)
        snprintf(buf, len, "%c", key);
    else if (key >= 1 && key <= 26)
        snprintf(buf, len, "C-%c", 'a' + key - 1);
    else if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, len, "F%d", key - KEY_F(0));
    else
        snprintf(buf, len, "key 0x%x", (unsigned)key);
}

void keymap_defaults(struct keymap *m)
{
    static const struct {
        int key;
        enum action act;
    } defaults[] = {
        { 'q', ACT_QUIT },         { 3 /* C-c */, ACT_QUIT },  { 'k', ACT_UP },
        { KEY_UP, ACT_UP },        { 'j', ACT_DOWN },          { KEY_DOWN, ACT_DOWN },
        { KEY_PPAGE, ACT_PAGE_UP }, { 2 /* C-b */, ACT_PAGE_UP },
        { KEY_NPAGE, ACT_PAGE_DOWN }, { 6 /* C-f */, ACT_PAGE_DOWN },
        { 'g', ACT_HOME },         { KEY_HOME, ACT_HOME },     { 'G', ACT_END },
        { KEY_END, ACT_END },      { 'l', ACT_EXPAND },        { KEY_RIGHT, ACT_EXPAND },
        { 'h', ACT_COLLAPSE },     { KEY_LEFT, ACT_COLLAPSE }, { '\n', ACT_TOGGLE },
        { '\r', ACT_TOGGLE },      { KEY_ENTER, ACT_TOGGLE },  { '\t', ACT_FOCUS },
        { 'v', ACT_VIEW },         { '1', ACT_SCREEN_TREE },   { 27 /* Esc */, ACT_SCREEN_TREE },
        { '2', ACT_SCREEN_LOCKS }, { 'L', ACT_SCREEN_LOCKS },
        { '3', ACT_SCREEN_SERVICES }, { 'S', ACT_SCREEN_SERVICES },
        { '4', ACT_SCREEN_ENSEMBLE }, { 'E', ACT_SCREEN_ENSEMBLE },
        { '5', ACT_SCREEN_EVENTS }, { 'O', ACT_SCREEN_EVENTS },
        { '6', ACT_SCREEN_SESSIONS }, { 'I', ACT_SCREEN_SESSIONS },
        { 'W', ACT_SAVE_EVENTS },  { 'd', ACT_DELETE },        { 'D', ACT_RDELETE },
        { 'e', ACT_EDIT },         { 'i', ACT_INLINE_EDIT },   { 'c', ACT_CREATE },
        { 'a', ACT_ACL },          { ':', ACT_COMMAND },       { '/', ACT_FILTER },
        { '?', ACT_HELP },         { KEY_F(1), ACT_HELP },
        { 'J', ACT_JUMP },         { 'y', ACT_COPY_PATH },     { 'Y', ACT_COPY_DATA },
        { '*', ACT_EXPAND_ALL },   { 'F', ACT_FIND },          { 'n', ACT_FIND_NEXT },
        { 'N', ACT_FIND_PREV },
    };
    m->n = 0;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0] && m->n < KEYMAP_MAX; i++) {
        m->v[m->n].key = defaults[i].key;
        m->v[m->n++].act = defaults[i].act;
    }
}

enum action keymap_action(const struct keymap *m, int key)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].key == key)
            return m->v[i].act;
    return ACT_NONE;
}

void keymap_bind(struct keymap *m, enum action act, const int *keys, size_t n, char *warn,
                 size_t wlen)
{
    size_t k = 0, used = 0;
    if (wlen)
        warn[0] = '\0';
    /* Out with act's old keys, and with the new ones' old owners. */
    for (size_t i = 0; i < m->n; i++) {
        bool taken = false;
        for (size_t j = 0; j < n; j++)
            taken = taken || m->v[i].key == keys[j];
        if (taken && m->v[i].act != act && used < wlen) {
            char name[32];
            key_format(m->v[i].key, name, sizeof name);
            used += (size_t)snprintf(warn + used, wlen - used, "%s%s was %s's, now %s's",
                                     used ? "; " : "", name, action_name(m->v[i].act),
                                     action_name(act));
        }
        if (m->v[i].act != act && !taken)
            m->v[k++] = m->v[i];
    }
    m->n = k;
    for (size_t j = 0; j < n && m->n < KEYMAP_MAX; j++) {
        m->v[m->n].key = keys[j];
        m->v[m->n++].act = act;
        /* Enter is two codes on a terminal: bind both. */
        if (keys[j] == '\n' && m->n < KEYMAP_MAX) {
            m->v[m->n].key = '\r';
            m->v[m->n++].act = act;
        }
    }
}

void keymap_keys_of(const struct keymap *m, enum action act, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n && used < len; i++) {
        char name[32];
        if (m->v[i].act != act || m->v[i].key == '\r' || m->v[i].key == KEY_ENTER)
            continue;
        key_format(m->v[i].key, name, sizeof name);
        used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
    }
}
