/* Writing a copy's OSC 52 sequence to the terminal. UI thread only, curses
 * running. */
#ifndef ZKTUI_UI_CLIP_H
#define ZKTUI_UI_CLIP_H

#include "ui/app.h"

/* Writes a->clip straight to the terminal, between frames (curses has
 * flushed its own output then), frees it, and has the next frame repaint
 * the whole screen, in case the terminal showed what it did not take. */
void clip_write(struct app *a);

#endif
