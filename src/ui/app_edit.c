/* Editing a node's data: e in $VISUAL/$EDITOR (ui.c runs it), i on the
 * bottom line. Either way the set carries the version read before the
 * edit; if the node changed meanwhile, it is read again and the operator
 * sees what changed and chooses: overwrite, reload (edit theirs), cancel.
 * Nothing typed is lost: the editor's file stays until the text is saved
 * or given up. UI thread only. */
#include "ui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/datafmt.h"

/* The server refuses a request over jute.maxbuffer (1 MB by default) and
 * drops the connection: refuse before sending, leaving room for the path. */
#define MAX_DATA (1024 * 1024 - 1024)

static char *copy(const char *buf, int32_t len)
{
    char *p = malloc(len > 0 ? (size_t)len + 1 : 1);
    if (p && len > 0)
        memcpy(p, buf, (size_t)len);
    if (p)
        p[len > 0 ? len : 0] = '\0';
    return p;
}

static void edit_clear(struct app *a)
{
    free(a->edit.path);
    free(a->edit.data);
    memset(&a->edit, 0, sizeof a->edit);
}

void app_saving_free(struct app *a)
{
    free(a->saving.path);
    free(a->saving.text);
    free(a->saving.base);
    memset(&a->saving, 0, sizeof a->saving);
}

/* Takes n's data and version for an edit, or says why not. */
static bool edit_take(struct app *a, struct node *n)
{
    if (a->read_only) {
        app_error(a, "%s", a->read_only_why);
        return false;
    }
    if ((n->flags & NODE_NOAUTH) && !(n->flags & NODE_HAS_DATA)) {
        app_error(a, "%s cannot be edited: zktui may not read it (no access)", n->path);
        return false;
    }
    if (!(n->flags & NODE_HAS_DATA) || !(n->flags & NODE_HAS_STAT)) {
        app_error(a, "%s is still being read: try again in a moment", n->path);
        return false;
    }
    if (a->saving.path) {
        app_error(a, "still saving %s: wait for the answer", a->saving.path);
        return false;
    }
    edit_clear(a);
    /* Text goes through an editor unchanged; other bytes as hex. */
    a->edit.hex = data_classify(node_data(n), (size_t)node_data_len(n)) == DATA_BINARY;
    a->edit.path = strdup(n->path);
    a->edit.data = copy(node_data(n), node_data_len(n));
    if (!a->edit.path || !a->edit.data) {
        edit_clear(a);
        app_error(a, "out of memory");
        return false;
    }
    a->edit.len = node_data_len(n);
    a->edit.version = n->stat.version;
    return true;
}

void app_ask_edit(struct app *a, struct node *n)
{
    edit_take(a, n);
}

/* Sends len bytes of buf as a->edit's new data, with the version read
 * before; a->saving keeps it all until the answer. False when nothing was
 * sent (the reason said). */
static bool send_edit(struct app *a, const char *buf, size_t len, const char *file)
{
    const char *keep = file[0] ? file : NULL;
    if (len > MAX_DATA) {
        app_error(a, "%s not saved: %zu bytes, the server takes at most about 1 MB%s%s",
                  a->edit.path, len, keep ? "; your text is in " : "", keep ? keep : "");
        return false;
    }
    app_saving_free(a);
    a->saving.path = strdup(a->edit.path);
    a->saving.text = copy(buf, (int32_t)len);
    a->saving.base = copy(a->edit.data, a->edit.len);
    if (!a->saving.path || !a->saving.text || !a->saving.base) {
        app_saving_free(a);
        app_error(a, "out of memory");
        return false;
    }
    a->saving.len = (int32_t)len;
    a->saving.base_len = a->edit.len;
    a->saving.version = a->edit.version;
    a->saving.in_prompt = a->edit.in_prompt;
    snprintf(a->saving.file, sizeof a->saving.file, "%s", file);
    if (!zk_set_data(a->zk, a->saving.path, buf, (int32_t)len, a->saving.version, 0)) {
        app_error(a, "%s not saved: %s%s%s", a->saving.path,
                  zk_read_only(a->zk) ? a->read_only_why : "not connected",
                  keep ? "; your text is in " : "", keep ? keep : "");
        app_saving_free(a);
        return false;
    }
    snprintf(a->info, sizeof a->info, "saving %s (version %d)...", a->saving.path,
             (int)a->saving.version);
    return true;
}

void app_edit_file_text(const struct app *a, struct strbuf *out)
{
    if (a->edit.hex)
        hex_edit_text(a->edit.data, (size_t)a->edit.len, out);
    else
        sb_add(out, a->edit.data, (size_t)a->edit.len);
}

bool app_edit_done(struct app *a, const char *buf, size_t len, const char *file)
{
    bool keep = true;
    struct strbuf bytes = { 0 };
    char err[128];
    if (a->edit.hex) {
        if (!hex_edit_parse(buf, len, &bytes, err, sizeof err)) {
            app_error(a, "%s not saved: %s; your text is in %s", a->edit.path, err, file);
            sb_free(&bytes);
            edit_clear(a);
            return true;
        }
        buf = sb_str(&bytes);
        len = bytes.len;
    }
    if (len == (size_t)a->edit.len && (len == 0 || memcmp(buf, a->edit.data, len) == 0)) {
        snprintf(a->info, sizeof a->info, "%s unchanged: nothing sent", a->edit.path);
        keep = false;
    } else
        send_edit(a, buf, len, file);
    sb_free(&bytes);
    edit_clear(a);
    a->dirty = true;
    return keep;
}

/* The inline prompt, on data (its version in a->edit). */
static void ask_inline_on(struct app *a, const char *why)
{
    struct strbuf p = { 0 };
    text_sanitize(a->edit.path, strlen(a->edit.path), &p);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "%sEdit %s (version %d), one line   Enter: save   Esc: cancel", why, sb_str(&p),
             (int)a->edit.version);
    sb_free(&p);
    free(a->prompt.path);
    a->prompt.path = NULL;
    app_prompt_input(a, PROMPT_INLINE_EDIT, "data: ", a->edit.data);
}

void app_ask_inline(struct app *a, struct node *n)
{
    if (!edit_take(a, n))
        return;
    a->edit.in_prompt = true;
    if (a->edit.hex) {
        app_error(a, "%s holds binary data: e edits it as hex", n->path);
        edit_clear(a);
        return;
    }
    if (memchr(a->edit.data, '\n', (size_t)a->edit.len) || a->edit.len >= 1000 ||
        strlen(a->edit.data) != (size_t)a->edit.len) {
        app_error(a, "%s holds %s: e edits it in your editor", n->path,
                  a->edit.len >= 1000 ? "more than one short line" : "more than one line");
        edit_clear(a);
        return;
    }
    ask_inline_on(a, "");
}

/* The first line where theirs differs from what the edit started from. */
static void first_change(const char *base, int32_t blen, const char *theirs, int32_t tlen,
                         char *buf, size_t len)
{
    int32_t i = 0, line = 1, start = 0, end;
    struct strbuf s = { 0 };
    while (i < blen && i < tlen && base[i] == theirs[i]) {
        if (theirs[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    for (end = start; end < tlen && theirs[end] != '\n' && end - start < 200; end++)
        ;
    text_sanitize(theirs + start, (size_t)(end - start), &s);
    snprintf(buf, len, "line %d is now \"%s\"", (int)line, sb_str(&s));
    sb_free(&s);
}

void app_fresh_reply(struct app *a, const struct msg *m)
{
    struct saving *s = &a->saving;
    const char *keep = s->file[0] ? s->file : NULL;
    char change[320], ago[16];
    if (!s->path || !m->path || strcmp(m->path, s->path) != 0)
        return; /* settled meanwhile */
    if (m->res != ZRES_OK) {
        app_error(a, "%s not saved: %s%s%s", s->path,
                  m->res == ZRES_NONODE ? "it was deleted meanwhile" : zk_strerror(m->rc),
                  keep ? "; your text is in " : "", keep ? keep : "");
        app_saving_free(a);
        return;
    }
    free(a->edit.path);
    free(a->edit.data);
    /* Theirs, ready for r (reload) and o (overwrite: its version). */
    a->edit.path = strdup(s->path);
    a->edit.data = copy(m->data, m->data ? m->data_len : 0);
    a->edit.len = m->data ? m->data_len : 0;
    a->edit.version = m->stat.version;
    a->edit.in_prompt = true; /* not the editor until r says so */
    a->edit.hex = data_classify(a->edit.data, (size_t)a->edit.len) == DATA_BINARY;
    if (!a->edit.path || !a->edit.data) {
        edit_clear(a);
        app_error(a, "out of memory");
        return;
    }
    if (a->edit.len == s->base_len && memcmp(a->edit.data, s->base, (size_t)s->base_len) == 0)
        snprintf(change, sizeof change, "the same data, rewritten");
    else if (data_classify(a->edit.data, (size_t)a->edit.len) == DATA_BINARY)
        snprintf(change, sizeof change, "binary now");
    else
        first_change(s->base, s->base_len, a->edit.data, a->edit.len, change, sizeof change);
    format_age(app_now_ms() - m->stat.mtime, ago, sizeof ago);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "%s changed while you edited: version %d -> %d, %s ago, %d -> %d bytes; %s", s->path,
             (int)s->version, (int)m->stat.version, ago, (int)s->base_len, (int)a->edit.len,
             change);
    snprintf(a->prompt.text, sizeof a->prompt.text,
             "o: overwrite with yours   r: reload (edit theirs)   Esc: cancel%s%s",
             keep ? " (yours stays in " : "", keep ? keep : "");
    if (keep)
        strncat(a->prompt.text, ")", sizeof a->prompt.text - strlen(a->prompt.text) - 1);
    free(a->prompt.path);
    a->prompt.path = NULL;
    a->prompt.label[0] = '\0';
    a->prompt.kind = PROMPT_EDIT_CONFLICT;
    a->dirty = true;
}

void app_saved(struct app *a, const struct msg *m)
{
    struct node *n;
    if (!a->saving.path || !m->path || strcmp(m->path, a->saving.path) != 0)
        return;
    /* What was sent is the node's data now, at the version the reply
     * gives: an e or i right after the save starts from it, not from the
     * old bytes the watch's re-read has yet to replace (and then a
     * conflict with one's own save). A newer version read meanwhile stays. */
    n = store_get(a->store, m->path);
    if (n && m->has_stat && (!(n->flags & NODE_HAS_STAT) || n->stat.version < m->stat.version) &&
        store_set_data(a->store, n, a->saving.text, a->saving.len)) {
        n->stat = m->stat;
        n->flags |= NODE_HAS_STAT;
    }
    if (a->saving.file[0])
        unlink(a->saving.file); /* saved: the copy is not needed */
    app_saving_free(a);
}

void app_not_saved(struct app *a, const struct msg *m, const char *shown, const char *why)
{
    struct saving *s = &a->saving;
    bool ours = s->path && m->path && strcmp(m->path, s->path) == 0;
    if (ours && m->res == ZRES_BADVERSION &&
        zk_get_data(a->zk, s->path, false, TAG_FRESH)) {
        snprintf(a->info, sizeof a->info, "%s changed while you edited: reading it...", shown);
        return;
    }
    app_error(a, "%s not saved: %s%s%s", shown, why,
              ours && s->file[0] ? "; your text is in " : "", ours ? s->file : "");
    if (ours)
        app_saving_free(a);
    if (m->res != ZRES_NONODE && m->path && store_get(a->store, m->path))
        need_add(&a->needs, NEED_INFO, m->path);
}

/* o: theirs is replaced by ours, against theirs' version. */
static void overwrite(struct app *a)
{
    struct saving *s = &a->saving;
    s->version = a->edit.version;
    free(s->base);
    s->base = a->edit.data;
    s->base_len = a->edit.len;
    a->edit.data = NULL;
    edit_clear(a);
    if (!zk_set_data(a->zk, s->path, s->text, s->len, s->version, 0)) {
        app_error(a, "%s not saved: %s%s%s", s->path,
                  zk_read_only(a->zk) ? a->read_only_why : "not connected",
                  s->file[0] ? "; your text is in " : "", s->file);
        app_saving_free(a);
        return;
    }
    snprintf(a->info, sizeof a->info, "overwriting %s (version %d)...", s->path, (int)s->version);
}

/* r: theirs is edited (in the editor for e, here for i); ours stays in its
 * file. */
static void reload(struct app *a)
{
    char why[600] = "";
    bool in_prompt = a->saving.in_prompt;
    if (a->saving.file[0])
        snprintf(why, sizeof why, "(yours is in %s) ", a->saving.file);
    app_saving_free(a);
    a->edit.in_prompt = in_prompt;
    if (in_prompt && (a->edit.hex || memchr(a->edit.data, '\n', (size_t)a->edit.len) || a->edit.len >= 1000 ||
                      strlen(a->edit.data) != (size_t)a->edit.len)) {
        app_error(a, "%s is no longer one short line: e edits it in your editor", a->edit.path);
        edit_clear(a);
        return;
    }
    if (in_prompt)
        ask_inline_on(a, why);
    /* else ui.c sees a->edit and runs the editor on theirs */
}

void app_edit_key(struct app *a, int key)
{
    if (a->prompt.kind == PROMPT_INLINE_EDIT) {
        if (app_prompt_type(a, key)) {
            char *text = copy(a->prompt.input, (int32_t)a->prompt.ilen);
            app_prompt_clear(a);
            if (text)
                app_edit_done(a, text, strlen(text), "");
            free(text);
        }
        return;
    }
    if (key == 'o' || key == 'O') {
        app_prompt_clear(a);
        overwrite(a);
    } else if (key == 'r' || key == 'R') {
        app_prompt_clear(a);
        reload(a);
    }
}
