/* J: go to a typed path. Tab completes the last segment from the parent's
 * children: those in the store when it has them, else a list read without
 * a watch, kept here for the prompt (in the store it would look live, and
 * it is not). Enter opens every ancestor the usual way (watched reads, as
 * if the operator had opened each) and selects the node once it shows, or
 * says where the path stops. UI thread only. */
#include "ui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/complete.h"
#include "model/datafmt.h"
#include "model/path.h"
#include "zk/needs.h"

struct jump {
    char *target;  /* a jump under way: opened down to it, then selected */
    char *checked; /* the node whose list was read again for it, lacking
                      the next segment */
    char *asked;   /* the parent whose children are being read for Tab */
    char *parent;  /* the parent names[] were read for (unwatched) */
    char **names;  /* sorted */
    size_t n;
};

static const char label[] = "jump to: ";
static const char help[] =
    "Jump to a path   Tab: complete a child's name (twice: list them)   Enter: go   "
    "^W: erase a segment   ^U: erase all   Esc: cancel";

static struct jump *jump_of(struct app *a)
{
    if (!a->jump)
        a->jump = calloc(1, sizeof *a->jump);
    return a->jump;
}

static void names_clear(struct jump *j)
{
    for (size_t i = 0; i < j->n; i++)
        free(j->names[i]);
    free(j->names);
    free(j->parent);
    j->names = NULL;
    j->parent = NULL;
    j->n = 0;
}

void app_jump_free(struct app *a)
{
    if (!a->jump)
        return;
    names_clear(a->jump);
    free(a->jump->asked);
    free(a->jump->target);
    free(a->jump->checked);
    free(a->jump);
    a->jump = NULL;
}

/* The prompt's upper line (printf-style; names in it escaped by the
 * caller). */
static void say(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->prompt.detail, sizeof a->prompt.detail, fmt, ap);
    va_end(ap);
    a->dirty = true;
}

/* A display-safe copy of raw bytes (a path or a name), in buf. */
static const char *safe(const char *raw, size_t len, char *buf, size_t size)
{
    struct strbuf b = { 0 };
    text_sanitize(raw, len, &b);
    snprintf(buf, size, "%s", sb_str(&b));
    sb_free(&b);
    return buf;
}

void app_ask_jump(struct app *a)
{
    const char *from = app_selected(a)->path;
    struct jump *j = jump_of(a);
    char *prefill;
    /* In the locks, registries and sessions, the node under the cursor:
     * Enter shows it in the tree. */
    if ((a->screen == SCREEN_LOCKS || a->screen == SCREEN_SERVICES ||
         a->screen == SCREEN_SESSIONS) && a->list_path)
        from = a->list_path;
    prefill = path_join(from, ""); /* "/app/", or "/" for the root */
    if (!prefill || !j) {
        free(prefill);
        app_error(a, "out of memory");
        return;
    }
    /* A list read for an earlier prompt may be old by now, and an answer
     * still awaited may never come (a session that expired drops it). */
    names_clear(j);
    free(j->asked);
    j->asked = NULL;
    free(a->prompt.path);
    memset(&a->prompt, 0, sizeof a->prompt);
    say(a, "%s", help);
    app_prompt_input(a, PROMPT_JUMP, label, prefill);
    free(prefill);
}

/* Sets the prompt's text to len bytes of s, then more (NUL-terminated). */
static bool set_input(struct app *a, const char *s, size_t len, const char *more)
{
    char buf[sizeof a->prompt.input];
    size_t m = strlen(more);
    if (len + m >= sizeof buf) {
        say(a, "the path is too long to complete here");
        return false;
    }
    memmove(buf, s, len);
    memcpy(buf + len, more, m + 1);
    app_prompt_input(a, PROMPT_JUMP, label, buf);
    return true;
}

/* Tab with the children of the parent typed (count names, in byte order). */
static void complete_from(struct app *a, const char *const *names, size_t count)
{
    const char *in = a->prompt.input;
    size_t plen, seg, typed;
    struct completion c;
    char shown[700];
    complete_split(in, &plen, &seg);
    typed = strlen(in + seg);
    complete_names(names, count, in + seg, &c);
    if (c.n == 0) {
        safe(in, plen, shown, sizeof shown);
        if (count == 0)
            say(a, "%s has no children   (Esc: cancel)", shown);
        else {
            char name[256];
            say(a, "no child of %s starts with %s   (Esc: cancel)", shown,
                safe(in + seg, typed, name, sizeof name));
        }
        return;
    }
    if (c.common > typed || c.n == 1) {
        char name[sizeof a->prompt.input];
        if (seg + c.common >= sizeof name) {
            say(a, "the path is too long to complete here");
            return;
        }
        memcpy(name, in, seg);
        memcpy(name + seg, names[c.first], c.common);
        /* One match: its name and a '/', so the next Tab goes on into its
         * children (any node may have some; Enter takes the '/' off). */
        if (!set_input(a, name, seg + c.common, c.n == 1 ? "/" : ""))
            return;
        if (c.n == 1)
            say(a, "%s", help);
        else
            say(a, "%zu matches   Tab: list them", c.n);
        return;
    }
    {
        struct strbuf b = { 0 };
        complete_list(names, count, in + seg, sizeof a->prompt.detail - 40, &b);
        say(a, "%s", sb_str(&b));
        sb_free(&b);
    }
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Tab: completes from the parent's children, or asks for them. */
static void tab(struct app *a)
{
    struct jump *j = jump_of(a);
    char parent[sizeof a->prompt.input + 2], shown[700];
    const char *why = NULL;
    size_t plen, seg;
    struct node *n;
    if (!j) {
        say(a, "out of memory");
        return;
    }
    if (!complete_split(a->prompt.input, &plen, &seg)) {
        say(a, "a path starts with /   (Esc: cancel)");
        return;
    }
    memcpy(parent, a->prompt.input, plen);
    parent[plen] = '\0';
    /* Checked with a name after it, so that "/a//" says what is wrong
     * ("//"), not that the parent "/a/" ends with a '/'. */
    strcpy(parent + plen, plen > 1 ? "/x" : "x");
    if (!path_is_valid(parent, &why)) {
        say(a, "not a valid path: %s   (Esc: cancel)", why);
        return;
    }
    parent[plen] = '\0';
    safe(parent, plen, shown, sizeof shown);
    n = store_get(a->store, parent);
    if (n && (n->flags & NODE_KIDS_LOADED)) {
        struct kids_iter it;
        uint32_t i = 0;
        const char **names = malloc((n->nkids ? n->nkids : 1) * sizeof *names);
        if (!names) {
            say(a, "out of memory");
            return;
        }
        for (const struct node *k = kids_first(n->kids, &it); k; k = kids_next(&it))
            names[i++] = k->name;
        complete_from(a, names, n->nkids);
        free(names);
    } else if (j->parent && strcmp(j->parent, parent) == 0)
        complete_from(a, (const char *const *)j->names, j->n);
    else if (j->asked && strcmp(j->asked, parent) == 0)
        say(a, "reading the children of %s...", shown);
    else if (!zk_get_children(a->zk, parent, false, TAG_COMPLETE))
        say(a, "cannot read the children of %s: not connected", shown);
    else {
        free(j->asked);
        j->asked = strdup(parent);
        say(a, "reading the children of %s...", shown);
    }
}

void app_jump_reply(struct app *a, const struct msg *m)
{
    struct jump *j = a->jump;
    char shown[700];
    size_t plen, seg;
    if (!j || !j->asked || !m->path || strcmp(j->asked, m->path) != 0)
        return; /* asked for a prompt since gone or moved on */
    free(j->asked);
    j->asked = NULL;
    if (a->prompt.kind != PROMPT_JUMP)
        return;
    safe(m->path, strlen(m->path), shown, sizeof shown);
    if (m->res != ZRES_OK) {
        if (m->res == ZRES_NONODE)
            say(a, "%s does not exist   (Esc: cancel)", shown);
        else
            say(a, "cannot read the children of %s: %s", shown, zk_strerror(m->rc));
        return;
    }
    names_clear(j);
    if (!(j->parent = strdup(m->path)) ||
        !(j->names = malloc((m->n_names ? (size_t)m->n_names : 1) * sizeof *j->names))) {
        names_clear(j);
        say(a, "out of memory");
        return;
    }
    for (int32_t i = 0; i < m->n_names; i++)
        if ((j->names[j->n] = strdup(m->names[i])))
            j->n++;
    qsort(j->names, j->n, sizeof *j->names, by_name);
    /* Complete now if the text still ends under that parent. */
    if (complete_split(a->prompt.input, &plen, &seg) && plen == strlen(m->path) &&
        strncmp(a->prompt.input, m->path, plen) == 0)
        tab(a);
}

/* ^W: back over the last segment (and the '/' after it), keeping the '/'
 * before it. */
static void erase_segment(struct app *a)
{
    size_t n = a->prompt.ilen;
    while (n > 0 && a->prompt.input[n - 1] == '/')
        n--;
    while (n > 0 && a->prompt.input[n - 1] != '/')
        n--;
    set_input(a, a->prompt.input, n, "");
}

/* Enter: the path (a '/' at the end, as the prefill has, is the node
 * itself), refused before anything is sent when the server would refuse it. */
static void enter(struct app *a)
{
    char path[sizeof a->prompt.input];
    const char *why = NULL;
    size_t n = a->prompt.ilen;
    memcpy(path, a->prompt.input, n + 1);
    if (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    if (!path_is_valid(path, &why)) {
        say(a, "not a valid path: %s   (Esc: cancel)", why);
        return;
    }
    app_prompt_clear(a);
    app_jump_to(a, path);
}

void app_jump_key(struct app *a, int key)
{
    switch (key) {
    case '\t':
        tab(a);
        return;
    case 21: /* ^U */
        set_input(a, "", 0, "");
        break;
    case 23: /* ^W */
        erase_segment(a);
        break;
    default:
        if (app_prompt_type(a, key)) {
            enter(a);
            return;
        }
        break;
    }
    say(a, "%s", help);
}

void app_jump_to(struct app *a, const char *path)
{
    struct jump *j = jump_of(a);
    char *t = strdup(path);
    if (!j || !t) {
        free(t);
        app_error(a, "out of memory");
        return;
    }
    free(j->target);
    j->target = t;
    free(j->checked);
    j->checked = NULL;
    a->screen = SCREEN_TREE;
    a->focus = FOCUS_TREE;
    a->error[0] = '\0';
    snprintf(a->info, sizeof a->info, "going to %s...", path);
    a->dirty = true;
    app_jump_follow(a);
}

void app_jump_cancel(struct app *a)
{
    if (!a->jump || !a->jump->target)
        return;
    free(a->jump->target);
    a->jump->target = NULL;
}

/* Opens n, reading its children with a watch unless they are live already;
 * false while a node with too many children waits for its Stat or for
 * the operator's answer (the jump waits with it). */
static bool open_node(struct app *a, struct node *n)
{
    if (!(n->flags & NODE_EXPANDED)) {
        if (!app_may_open(a, n, true))
            return false;
        n->flags |= NODE_EXPANDED;
        a->store->shape_gen++;
    }
    if (!(n->flags & NODE_WATCH_KIDS) || !(n->flags & NODE_KIDS_LOADED))
        need_add(&a->needs, NEED_KIDS, n->path);
    return true;
}

bool app_jump_busy(const struct app *a)
{
    return a->jump && a->jump->target;
}

/* True once n's list has been read since the jump began: a child missing
 * from it is missing. A list read before may not show a node made a moment
 * ago (its watch event still on the way), so it is read once more first. */
static bool list_fresh(struct app *a, struct node *n)
{
    struct jump *j = a->jump;
    if (j->checked && strcmp(j->checked, n->path) == 0)
        return true;
    free(j->checked);
    j->checked = strdup(n->path);
    need_add(&a->needs, NEED_KIDS, n->path);
    return false;
}

/* The jump is over: n selected (its ancestors are open, so it is a row),
 * the target said missing below it when it was not reached. */
static void jump_end(struct app *a, struct node *n, const char *why)
{
    struct jump *j = a->jump;
    bool unfiltered = false;
    /* Selected here rather than through select_after, which would open
     * the node itself too: a jump shows a node, it does not open it. */
    bool shown = app_select_row(a, n);
    if (!shown && a->filter[0]) {
        /* A filter hides it: the operator asked to see this one. */
        app_filter_clear(a);
        unfiltered = true;
        shown = app_select_row(a, n);
    }
    if (!shown) {
        free(a->select_after);
        a->select_after = strdup(n->path);
    }
    if (why) {
        /* An operator's typo, not news of the cluster: not logged. */
        a->info[0] = '\0';
        snprintf(a->error, sizeof a->error, "%s", why);
    } else if (unfiltered)
        snprintf(a->info, sizeof a->info, "the filter was cleared to show %s", n->path);
    else if (strncmp(a->info, "going to ", 9) == 0)
        a->info[0] = '\0';
    free(j->target);
    j->target = NULL;
    a->dirty = true;
}

void app_jump_follow(struct app *a)
{
    struct jump *j = a->jump;
    struct node *n;
    char *t, *p, why[sizeof a->error];
    if (!j || !j->target)
        return;
    t = j->target;
    n = a->store->root;
    for (p = t + 1; *p;) {
        char *end = p + strcspn(p, "/"), save = *end;
        struct node *kid;
        if (!open_node(a, n)) {
            app_send_needs(a);
            return; /* asking first: the jump waits */
        }
        *end = '\0'; /* t is the path down to this segment */
        why[0] = '\0';
        if (!(kid = store_get(a->store, t))) {
            if (n->flags & NODE_NOAUTH)
                snprintf(why, sizeof why, "%s cannot be listed (no permission), so %s cannot be "
                         "shown", n->path, t);
            else if ((n->flags & NODE_KIDS_LOADED) && !(n->flags & NODE_KIDS_PENDING) &&
                     list_fresh(a, n))
                snprintf(why, sizeof why, "%s has no child %s", n->path, p);
        }
        *end = save;
        if (!kid) {
            /* Either the answer, or the children are on the way. */
            if (why[0])
                jump_end(a, n, why);
            app_send_needs(a);
            return;
        }
        n = kid;
        p = *end ? end + 1 : end;
    }
    jump_end(a, n, NULL);
    app_send_needs(a);
}
