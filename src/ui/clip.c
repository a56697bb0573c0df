/* y and Y: the sequence app_copy made goes to the terminal here. */
#include "ui/clip.h"

#include <curses.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void clip_write(struct app *a)
{
    const char *p = a->clip;
    size_t left = a->clip_len;
    int err = 0;
    while (left > 0) {
        ssize_t k = write(STDOUT_FILENO, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            err = k < 0 ? errno : EIO;
            break;
        }
        p += k;
        left -= (size_t)k;
    }
    free(a->clip);
    a->clip = NULL;
    a->clip_len = 0;
    /* A terminal that does not know OSC 52 may print some of it: draw
     * everything again rather than trust what is on screen. */
    clearok(curscr, TRUE);
    a->dirty = true;
    if (err) {
        a->info[0] = '\0';
        app_error(a, "nothing copied: writing to the terminal failed: %s", strerror(err));
    }
}
