/* y and Y: the path or the text data of the node under the cursor, to the
 * terminal's clipboard with OSC 52. The sequence is made here and written
 * by the loop between frames (clip.c), never through curses. UI thread
 * only. */
#include "ui/app.h"

#include <stdlib.h>
#include <string.h>

#include "model/datafmt.h"
#include "model/osc52.h"

/* Data larger than this is refused: the sequence would be a third larger,
 * and terminals cap what they take (xterm and tmux take this much). */
#define MAX_COPY (64 * 1024)

/* The node under the cursor: the tree's selection, or the contender,
 * member or session's node under the cursor in the locks, registries or
 * sessions; NULL (said why) elsewhere. */
static const char *cursor_path(struct app *a, int key)
{
    switch (a->screen) {
    case SCREEN_TREE:
        return app_selected(a)->path;
    case SCREEN_LOCKS:
    case SCREEN_SERVICES:
    case SCREEN_SESSIONS:
    case SCREEN_FIND:
        if (a->list_path)
            return a->list_path;
        app_error(a, "move the cursor to a node first (a contender, member or session's node)");
        return NULL;
    default:
        app_error(a, "%c copies from the tree, the locks, the registries or the sessions (1, 2, 3, "
                  "6)", key);
        return NULL;
    }
}

/* What the terminal has to allow for the copy to land, for the status
 * line. */
static const char *how(void)
{
    const char *tmux = getenv("TMUX"), *sty = getenv("STY");
    if (tmux && tmux[0])
        return "OSC 52: tmux needs set -g set-clipboard on";
    if (sty && sty[0])
        return "OSC 52, through screen: the terminal must allow it";
    return "OSC 52: the terminal must allow it";
}

static bool make_clip(struct app *a, const char *buf, size_t len)
{
    struct strbuf b = { 0 };
    const char *tmux = getenv("TMUX"), *sty = getenv("STY");
    if (!osc52_build(buf, len, osc52_wrap_for(tmux, sty), &b)) {
        sb_free(&b);
        app_error(a, "out of memory copying");
        return false;
    }
    free(a->clip);
    a->clip = b.s;
    a->clip_len = b.len;
    a->error[0] = '\0';
    return true;
}

static void copy_data(struct app *a, const char *path)
{
    struct node *n = store_get(a->store, path);
    size_t len;
    if (!n || !(n->flags & NODE_HAS_DATA)) {
        app_error(a, "%s is still being read: try again in a moment", path);
        return;
    }
    len = node_data(n) ? (size_t)node_data_len(n) : 0;
    switch (data_classify(node_data(n), len)) {
    case DATA_EMPTY:
        app_error(a, "%s has no data: nothing copied", path);
        return;
    case DATA_BINARY:
        app_error(a, "%s holds binary data (%zu bytes): Y copies text only; nothing copied",
                  path, len);
        return;
    default:
        break;
    }
    if (len > MAX_COPY) {
        app_error(a, "%s holds %zu bytes: Y copies at most 64 KB; nothing copied", path, len);
        return;
    }
    if (make_clip(a, node_data(n), len))
        snprintf(a->info, sizeof a->info, "copied the data of %s (%zu bytes) to the clipboard (%s)",
                 path, len, how());
}

void app_copy(struct app *a, bool data)
{
    const char *path = cursor_path(a, data ? 'Y' : 'y');
    if (!path)
        return;
    if (data)
        copy_data(a, path);
    else if (make_clip(a, path, strlen(path)))
        snprintf(a->info, sizeof a->info, "copied the path %s to the clipboard (%s)", path, how());
}
