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

#endif
