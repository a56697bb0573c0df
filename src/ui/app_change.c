/* Changes the operator asks for: the question first, then the request with
 * the version the question was about, then what the server said. Nothing
 * here runs in read-only mode. UI thread only. */
#include "ui/app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/datafmt.h"
#include "model/path.h"
#include "zk/refusal.h"
#include "ui/app_sessions.h"

/* "holds the lock /locks/x", "member of /servers", or "". */
static void role_of(const struct app *a, const struct node *n, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < a->mon.nlocks; i++) {
        const struct lock_view *v = &a->mon.locks[i];
        for (size_t j = 0; j < v->nrows; j++)
            if (v->rows[j].node == n) {
                snprintf(buf, len, ", %s %s", v->rows[j].holds ? "holder of" : "waiting for",
                         v->path);
                return;
            }
    }
    for (size_t i = 0; n->parent && i < a->mon.nregs; i++)
        if (strcmp(a->mon.regs[i].path, n->parent->path) == 0) {
            snprintf(buf, len, ", member of %s", a->mon.regs[i].path);
            return;
        }
}

void app_prompt_clear(struct app *a)
{
    free(a->prompt.path);
    memset(&a->prompt, 0, sizeof a->prompt);
    a->dirty = true;
}

bool app_may_delete(struct app *a, const struct node *n)
{
    if (a->read_only)
        app_error(a, "%s", a->read_only_why);
    else if (!n->parent)
        app_error(a, "the root cannot be deleted");
    else if (strcmp(n->path, "/zookeeper") == 0 || strncmp(n->path, "/zookeeper/", 11) == 0)
        app_error(a, "%s belongs to the server and cannot be deleted", n->path);
    else
        return true;
    return false;
}

void app_ask_delete(struct app *a, struct node *n)
{
    char owner[96] = "", role[600], age[16];
    struct strbuf p = { 0 };
    if (!app_may_delete(a, n))
        return;
    if (!(n->flags & NODE_HAS_STAT)) {
        app_error(a, "%s is still being read: try again in a moment", n->path);
        return;
    }
    if (n->stat.num_children > 0) {
        app_error(a, "%s has %d child%s: D deletes it with everything under it", n->path,
                  n->stat.num_children, n->stat.num_children == 1 ? "" : "ren");
        return;
    }
    if (n->stat.ephemeral_owner) {
        format_age(monitor_server_now(&a->mon, app_now_ms()) - n->stat.ctime, age, sizeof age);
        snprintf(owner, sizeof owner, ", ephemeral of session 0x%" PRIx64 " for %s",
                 (uint64_t)n->stat.ephemeral_owner, age);
    } else {
        /* Said, as the count was checked: one added since stops the delete. */
        snprintf(owner, sizeof owner, ", no children");
    }
    role_of(a, n, role, sizeof role);
    text_sanitize(n->path, strlen(n->path), &p);
    snprintf(a->prompt.text, sizeof a->prompt.text, "Delete %s?   y: delete   n: keep", sb_str(&p));
    snprintf(a->prompt.detail, sizeof a->prompt.detail, "version %d%s%s", n->stat.version, owner,
             role);
    sb_free(&p);
    free(a->prompt.path);
    a->prompt.path = strdup(n->path);
    a->prompt.version = n->stat.version;
    a->prompt.kind = a->prompt.path ? PROMPT_DELETE : PROMPT_NONE;
    a->dirty = true;
}

static void do_delete(struct app *a)
{
    /* The version asked about, not whatever it is now: a node changed
     * since the question is not deleted. */
    if (!zk_delete(a->zk, a->prompt.path, a->prompt.version, 0))
        app_error(a, "%s not deleted: %s", a->prompt.path,
                  zk_read_only(a->zk) ? a->read_only_why : "not connected");
    else
        snprintf(a->info, sizeof a->info, "deleting %s (version %d)...", a->prompt.path,
                 (int)a->prompt.version);
}

static const char *const mode_names[] = {
    [CREATE_PERSISTENT] = "persistent", [CREATE_EPHEMERAL] = "ephemeral",
    [CREATE_PERSISTENT_SEQ] = "persistent sequential",
    [CREATE_EPHEMERAL_SEQ] = "ephemeral sequential", [CREATE_CONTAINER] = "container",
    [CREATE_TTL] = "TTL", [CREATE_TTL_SEQ] = "TTL sequential",
};

/* The server's limit on a TTL (EphemeralType: 40 bits of milliseconds). */
#define MAX_TTL_MS 0xFFFFFFFFFFLL

/* The prompt's two lines while text is typed: the question above, the
 * input with a cursor below. */
static void show_input(struct app *a)
{
    struct strbuf in = { 0 };
    text_sanitize(a->prompt.input, a->prompt.ilen, &in);
    snprintf(a->prompt.text, sizeof a->prompt.text, "%s%s_", a->prompt.label, sb_str(&in));
    sb_free(&in);
    a->dirty = true;
}

void app_prompt_input(struct app *a, enum prompt_kind kind, const char *label,
                      const char *prefill)
{
    size_t n = prefill ? strlen(prefill) : 0;
    a->prompt.kind = kind;
    snprintf(a->prompt.label, sizeof a->prompt.label, "%s", label);
    if (n >= sizeof a->prompt.input)
        n = sizeof a->prompt.input - 1;
    if (n)
        memcpy(a->prompt.input, prefill, n);
    a->prompt.ilen = n;
    a->prompt.input[n] = '\0';
    show_input(a);
}

void app_ask_create(struct app *a, struct node *n)
{
    struct strbuf p = { 0 };
    if (a->read_only) {
        app_error(a, "%s", a->read_only_why);
        return;
    }
    free(a->prompt.path);
    memset(&a->prompt, 0, sizeof a->prompt);
    if (!(a->prompt.path = strdup(n->path)))
        return;
    a->prompt.kind = PROMPT_CREATE_NAME;
    text_sanitize(n->path, strlen(n->path), &p);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "Create a node under %s: its name, or a full path   Enter: next   Esc: cancel",
             sb_str(&p));
    sb_free(&p);
    app_prompt_input(a, PROMPT_CREATE_NAME, "name: ", NULL);
}

/* Enter on the name: the full path, checked the server's way. */
static void create_name_done(struct app *a)
{
    const char *why = NULL;
    char *path;
    a->prompt.input[a->prompt.ilen] = '\0';
    if (a->prompt.ilen == 0)
        return;
    path = a->prompt.input[0] == '/' ? strdup(a->prompt.input)
                                     : path_join(a->prompt.path, a->prompt.input);
    if (!path || !path_is_valid(path, &why)) {
        snprintf(a->prompt.detail, sizeof a->prompt.detail, "not a valid path: %s  (Esc: cancel)",
                 why ? why : "out of memory");
        free(path);
        a->dirty = true;
        return;
    }
    free(a->prompt.path);
    a->prompt.path = path;
    a->prompt.kind = PROMPT_CREATE_MODE;
    a->prompt.label[0] = '\0';
    snprintf(a->prompt.detail, sizeof a->prompt.detail, "Create %s as:", path);
    snprintf(a->prompt.text, sizeof a->prompt.text,
             "p persistent  e ephemeral (lives with this zktui session)  s sequential  "
             "S ephemeral sequential  c container  t TTL  T TTL sequential  Esc: cancel");
    a->dirty = true;
}

static void ask_data(struct app *a);

static void create_mode_key(struct app *a, int key)
{
    static const struct { int key; enum create_mode mode; } keys[] = {
        { 'p', CREATE_PERSISTENT }, { 'e', CREATE_EPHEMERAL }, { 's', CREATE_PERSISTENT_SEQ },
        { 'S', CREATE_EPHEMERAL_SEQ }, { 'c', CREATE_CONTAINER }, { 't', CREATE_TTL },
        { 'T', CREATE_TTL_SEQ },
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].key == key) {
            a->prompt.mode = keys[i].mode;
            if (keys[i].mode == CREATE_TTL || keys[i].mode == CREATE_TTL_SEQ) {
                snprintf(a->prompt.detail, sizeof a->prompt.detail,
                         "Create %s (%s): the server deletes it once it has had no child for "
                         "this long (30s, 10m, 2h, 7d)   Esc: cancel",
                         a->prompt.path, mode_names[keys[i].mode]);
                app_prompt_input(a, PROMPT_CREATE_TTL, "ttl: ", NULL);
                return;
            }
            ask_data(a);
            return;
        }
}

static void ask_data(struct app *a)
{
    char ttl[32] = "";
    if (a->prompt.ttl_ms > 0) {
        format_age(a->prompt.ttl_ms, ttl + 2, sizeof ttl - 2);
        memcpy(ttl, ", ", 2);
    }
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "Create %s (%s%s) with data (one line; Enter for none)   Esc: cancel",
             a->prompt.path, mode_names[a->prompt.mode], ttl);
    app_prompt_input(a, PROMPT_CREATE_DATA, "data: ", NULL);
}

static void create_ttl_done(struct app *a)
{
    long long ms;
    if (!duration_parse(a->prompt.input, MAX_TTL_MS, &ms)) {
        snprintf(a->prompt.detail, sizeof a->prompt.detail,
                 "not a duration: a number with ms, s, m, h or d (30s, 1h30m), above 0 and "
                 "under 34 years   Esc: cancel");
        a->dirty = true;
        return;
    }
    a->prompt.ttl_ms = ms;
    ask_data(a);
}

/* Sends a->create. */
static void send_create(struct app *a)
{
    struct create_req *c = &a->create;
    if (!zk_create(a->zk, c->path, c->data, c->len, c->mode, c->ttl_ms, 0))
        app_error(a, "%s not created: %s", c->path,
                  zk_read_only(a->zk) ? a->read_only_why : "not connected");
    else
        snprintf(a->info, sizeof a->info, "creating %s (%s)...", c->path, mode_names[c->mode]);
}

static void do_create(struct app *a)
{
    struct create_req *c = &a->create;
    free(c->path);
    free(c->data);
    c->path = strdup(a->prompt.path);
    c->data = malloc(a->prompt.ilen + 1);
    if (!c->path || !c->data) {
        free(c->path);
        free(c->data);
        memset(c, 0, sizeof *c);
        app_error(a, "out of memory");
        return;
    }
    memcpy(c->data, a->prompt.input, a->prompt.ilen);
    c->len = (int32_t)a->prompt.ilen;
    c->mode = a->prompt.mode;
    c->ttl_ms = a->prompt.ttl_ms;
    send_create(a);
}

/* y to the offer of missing parents: each ancestor made (persistent,
 * empty; one that exists by now is fine), then the node, in that order on
 * the one session. */
static void create_parents(struct app *a)
{
    const char *p = a->create.path;
    size_t len = path_parent_len(p);
    char *anc = strdup(p);
    bool ok = anc != NULL;
    for (size_t i = 1; ok && i <= len; i++)
        if (i == len || p[i] == '/') {
            anc[i] = '\0';
            ok = zk_create(a->zk, anc, "", 0, CREATE_PERSISTENT, 0, TAG_PARENT);
            memcpy(anc, p, len);
        }
    free(anc);
    if (ok)
        send_create(a);
    else
        app_error(a, "%s not created: %s", p,
                  zk_read_only(a->zk) ? a->read_only_why : "not connected");
}

bool app_prompt_type(struct app *a, int key)
{
    struct prompt *p = &a->prompt;
    if (key == '\n') {
        p->input[p->ilen] = '\0';
        return true;
    }
    if (key == 127) {
        /* Back over one character, its UTF-8 continuation bytes too. */
        while (p->ilen > 0 && ((unsigned char)p->input[--p->ilen] & 0xc0) == 0x80)
            ;
    } else if (key >= 0x20 && key <= 0xff && key != 0x7f && p->ilen + 1 < sizeof p->input)
        p->input[p->ilen++] = (char)key;
    p->input[p->ilen] = '\0';
    show_input(a);
    return false;
}

void app_prompt_key(struct app *a, int key)
{
    bool text = a->prompt.label[0] != '\0';
    if (a->prompt.kind == PROMPT_FILTER && (key == 27 || key == 3)) {
        app_prompt_clear(a);
        app_filter_clear(a);
        snprintf(a->info, sizeof a->info, "filter cleared");
        return;
    }
    if (a->prompt.kind == PROMPT_SESSION_DELETE) {
        app_sessions_prompt_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_BIG_LIST) {
        app_big_key(a, key);
        return;
    }
    if (key == 27 || key == 3 ||
        (!text && (key == 'n' || key == 'N' || key == 'q') &&
         (a->prompt.kind == PROMPT_DELETE || a->prompt.kind == PROMPT_CREATE_PARENTS))) {
        snprintf(a->info, sizeof a->info, "nothing changed");
        a->error[0] = '\0'; /* an older error would hide the answer */
        if (a->prompt.kind == PROMPT_EDIT_CONFLICT) {
            if (a->saving.file[0])
                snprintf(a->info, sizeof a->info, "nothing saved; your text is in %.400s",
                         a->saving.file);
            app_saving_free(a);
        }
        if (a->prompt.kind == PROMPT_EDIT_CONFLICT || a->prompt.kind == PROMPT_INLINE_EDIT) {
            free(a->edit.path);
            free(a->edit.data);
            memset(&a->edit, 0, sizeof a->edit);
        }
        app_walk_stop(a);
        app_prompt_clear(a);
        return;
    }
    if (a->prompt.kind == PROMPT_FILTER) {
        app_filter_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_COMMAND) {
        app_command_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_INLINE_EDIT || a->prompt.kind == PROMPT_EDIT_CONFLICT) {
        app_edit_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_RDELETE) {
        if (app_prompt_type(a, key))
            app_rdelete_confirm(a);
        return;
    }
    if (a->prompt.kind == PROMPT_RDELETE_COUNT)
        return; /* counting: only Esc */
    if (a->prompt.kind == PROMPT_ACL || a->prompt.kind == PROMPT_ACL_CONFIRM) {
        app_acl_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_CREATE_NAME) {
        if (app_prompt_type(a, key))
            create_name_done(a);
        return;
    }
    if (a->prompt.kind == PROMPT_JUMP) {
        app_jump_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_FIND) {
        app_find_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_CREATE_MODE) {
        create_mode_key(a, key);
        return;
    }
    if (a->prompt.kind == PROMPT_CREATE_TTL) {
        if (app_prompt_type(a, key))
            create_ttl_done(a);
        return;
    }
    if (a->prompt.kind == PROMPT_CREATE_DATA) {
        if (app_prompt_type(a, key)) {
            do_create(a);
            app_prompt_clear(a);
        }
        return;
    }
    switch (key) {
    case 'y':
    case 'Y':
        if (a->prompt.kind == PROMPT_DELETE)
            do_delete(a);
        else if (a->prompt.kind == PROMPT_CREATE_PARENTS && a->create.path)
            create_parents(a);
        app_prompt_clear(a);
        break;
    default:
        break; /* an answer is needed: anything else waits */
    }
}

/* Why a change did not happen, in words an operator can act on. */
static const char *why_not(const struct app *a, const struct msg *m, char *buf, size_t len)
{
    switch (m->res) {
    case ZRES_BADVERSION:
        return "it changed since you looked";
    case ZRES_NONODE:
        return "it is gone already";
    case ZRES_NOTEMPTY:
        return "it has children now";
    default:
        if (zk_refusal(a->zk, m, buf, len))
            return buf;
        snprintf(buf, len, "%s", zk_strerror(m->rc));
        return buf;
    }
}

/* A create whose parent is missing: offer to make the parents, never
 * silently. */
static void ask_parents(struct app *a, const char *shown)
{
    struct strbuf pp = { 0 };
    text_sanitize(shown, path_parent_len(shown), &pp);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "%s not created: its parent %s does not exist", shown, sb_str(&pp));
    snprintf(a->prompt.text, sizeof a->prompt.text,
             "y: create the missing parents (persistent, empty), then it   n: nothing");
    sb_free(&pp);
    a->prompt.kind = PROMPT_CREATE_PARENTS;
    a->prompt.label[0] = '\0';
    a->dirty = true;
}

/* The answer to a create: the new node selected (its parent opened for
 * it), or why there is none. */
static void on_created(struct app *a, const struct msg *m, const char *shown)
{
    const char *made = m->created ? m->created : m->path;
    char buf[512];
    if (m->tag & TAG_PARENT) {
        /* A missing parent: one there by now is what was wanted. */
        if (m->res == ZRES_OK)
            app_event(a, EV_CHANGE, "created %s (a missing parent)", made);
        else if (m->res != ZRES_EXISTS)
            app_error(a, "parent %s not created: %s", shown, why_not(a, m, buf, sizeof buf));
        return;
    }
    if (m->res == ZRES_NONODE && a->create.path && m->path &&
        strcmp(m->path, a->create.path) == 0 && a->prompt.kind == PROMPT_NONE &&
        path_parent_len(m->path) > 0) {
        ask_parents(a, shown);
        return;
    }
    if (m->res != ZRES_OK) {
        app_error(a, "%s not created: %s", shown,
                  m->res == ZRES_NONODE   ? "its parent does not exist"
                  : m->res == ZRES_EXISTS ? "it exists already"
                  : m->res == ZRES_UNIMPLEMENTED &&
                          (a->create.mode == CREATE_TTL || a->create.mode == CREATE_TTL_SEQ)
                      ? "this server does not take TTL nodes (it needs "
                        "zookeeper.extendedTypesEnabled=true)"
                      : why_not(a, m, buf, sizeof buf));
        return;
    }
    snprintf(a->info, sizeof a->info, "created %s", made);
    a->error[0] = '\0';
    app_event(a, EV_CHANGE, "created %s", made);
    /* Selected when it shows; its ancestors are opened for it. */
    free(a->select_after);
    a->select_after = strdup(made);
}

void app_on_write(struct app *a, const struct msg *m)
{
    char buf[512];
    struct strbuf p = { 0 };
    bool set = m->op == WRITE_SET;
    zk_audit(a->zk, m);
    if (m->op == WRITE_ACL) {
        app_acl_written(a, m);
        return;
    }
    text_sanitize(m->path ? m->path : "?", m->path ? strlen(m->path) : 1, &p);
    if (m->op == WRITE_CREATE) {
        on_created(a, m, sb_str(&p));
    } else if (m->res == ZRES_OK) {
        if (set && m->has_stat)
            snprintf(a->info, sizeof a->info, "saved %s (version %d -> %d)", sb_str(&p),
                     (int)m->version, (int)m->stat.version);
        else
            snprintf(a->info, sizeof a->info, "deleted %s (version %d)", sb_str(&p),
                     (int)m->version);
        a->error[0] = '\0';
        app_event(a, EV_CHANGE, "%s %s (version %d)", set ? "saved" : "deleted", m->path,
                  (int)m->version);
        if (set)
            app_saved(a, m);
    } else if (set) {
        app_not_saved(a, m, sb_str(&p), why_not(a, m, buf, sizeof buf));
    } else {
        app_error(a, "%s not deleted: %s", sb_str(&p), why_not(a, m, buf, sizeof buf));
        /* Show the node as it is now. */
        if (m->res != ZRES_NONODE && m->path && store_get(a->store, m->path))
            need_add(&a->needs, NEED_INFO, m->path);
    }
    sb_free(&p);
    a->dirty = true;
}
