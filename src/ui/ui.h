/* The interactive front end. */
#ifndef ZKTUI_UI_UI_H
#define ZKTUI_UI_UI_H

#include "ui/app.h"

#include <stdbool.h>
#include <stddef.h>

/* Runs the UI loop on a, which holds an open session, until the operator
 * quits or a terminating signal arrives. Owns the terminal for that time and
 * always gives it back as it found it. theme_file may be NULL (built-in
 * default). False, with a sentence in err, when the terminal or the theme
 * could not be set up (the terminal is then untouched). */
bool ui_run(struct app *a, const char *theme_file, char *err, size_t errlen);

/* ui_run in three steps, for a caller that changes sessions under one
 * terminal (:ctx): ui_start takes the terminal (false, err said, when it
 * cannot); ui_loop runs until the operator quits or asks for another
 * cluster (a->ctx_request); ui_theme switches the theme; ui_stop gives the
 * terminal back. */
bool ui_start(const char *theme_file, char *err, size_t errlen);
/* The keys in force (copied), before ui_start; the defaults otherwise. */
struct keymap;
void ui_keymap(const struct keymap *m);
void ui_loop(struct app *a);
bool ui_theme(const char *theme_file, char *err, size_t errlen);
void ui_stop(void);

#endif
