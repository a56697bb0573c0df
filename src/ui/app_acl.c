/* a: the selected node's ACL, read afresh, edited on the bottom line in
 * zkCli's setAcl form (scheme:id:perms,...), checked before anything is
 * sent, confirmed old -> new, then set with the ACL version it was read
 * with, so an ACL changed meanwhile is not overwritten. UI thread only. */
#include "ui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/acl.h"
#include "model/datafmt.h"
#include "zk/refusal.h"

/* As app_change.c says it for every other change. */
static const char label[] = "ACL: ";

/* The ACL as read when the prompt opened, and as last sent, in zkCli's
 * form: for the confirmation and the event. One prompt at a time. */
static char old_text[sizeof ((struct prompt *)0)->input];
static struct {
    char path[1024];
    char text[sizeof ((struct prompt *)0)->input];
} sent;

static void prompt_reading(struct app *a, const char *path)
{
    struct strbuf p = { 0 };
    text_sanitize(path, strlen(path), &p);
    snprintf(a->prompt.detail, sizeof a->prompt.detail, "Edit the ACL of %s", sb_str(&p));
    snprintf(a->prompt.text, sizeof a->prompt.text, "reading the ACL of %s...   Esc: cancel",
             sb_str(&p));
    sb_free(&p);
    a->dirty = true;
}

void app_ask_acl(struct app *a, struct node *n)
{
    if (a->read_only) {
        app_error(a, "%s", a->read_only_why);
        return;
    }
    app_prompt_clear(a);
    if (!(a->prompt.path = strdup(n->path)))
        return;
    /* The ACL shown may be old (setting one fires no watch): read it now,
     * with the version that goes with it. */
    if (!zk_get_acl(a->zk, n->path, TAG_ACL_EDIT)) {
        app_error(a, "the ACL of %s was not read: not connected", n->path);
        app_prompt_clear(a);
        return;
    }
    a->prompt.kind = PROMPT_ACL; /* no label yet: waiting for the read */
    prompt_reading(a, n->path);
}

/* Why the ACL cannot be edited as read, or NULL. */
static const char *not_editable(const struct msg *m, size_t textlen)
{
    for (int32_t i = 0; i < m->n_acl; i++)
        if (acl_entry_hidden(&m->acl[i]))
            return "you lack ADMIN permission on it (the server hides its digest hashes from you), "
                   "so your credentials cannot change it";
    if (textlen >= sizeof old_text)
        return "it is too long to edit on one line";
    return NULL;
}

static void open_editor(struct app *a, const struct msg *m)
{
    struct strbuf t = { 0 }, p = { 0 };
    const char *why;
    acl_format(m->acl, m->n_acl, &t);
    if ((why = not_editable(m, t.len))) {
        app_error(a, "the ACL of %s cannot be edited: %s", m->path, why);
        app_prompt_clear(a);
        sb_free(&t);
        return;
    }
    snprintf(old_text, sizeof old_text, "%s", sb_str(&t));
    a->prompt.version = m->has_stat ? m->stat.aversion : -1;
    text_sanitize(m->path, strlen(m->path), &p);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "ACL of %s (aversion %d) as scheme:id:perms,... (cdrwa)   Enter: check   ^W: erase "
             "an entry   Esc: cancel", sb_str(&p), (int)a->prompt.version);
    app_prompt_input(a, PROMPT_ACL, label, sb_str(&t));
    sb_free(&t);
    sb_free(&p);
}

void app_acl_read(struct app *a, const struct msg *m)
{
    char buf[512];
    bool ours = a->prompt.kind == PROMPT_ACL && !a->prompt.label[0] && a->prompt.path &&
                m->path && strcmp(a->prompt.path, m->path) == 0;
    store_apply(a->store, m, &a->needs);
    a->dirty = true;
    if (!ours)
        return; /* cancelled meanwhile */
    if (m->res == ZRES_OK) {
        open_editor(a, m);
        return;
    }
    app_error(a, "the ACL of %s was not read: %s", a->prompt.path,
              m->res == ZRES_NONODE ? "the node is gone"
              : zk_refusal(a->zk, m, buf, sizeof buf) ? buf
                                                      : zk_strerror(m->rc));
    app_prompt_clear(a);
}

/* The entries as the confirmation shows them: a digest hash cut to its
 * first characters, enough to tell two apart. */
static void short_form(const char *text, struct strbuf *out)
{
    struct acl_list l;
    char why[256];
    if (!acl_parse(text, &l, why, sizeof why)) {
        sb_adds(out, text);
        return;
    }
    for (int32_t i = 0; i < l.n; i++) {
        const char *colon = strchr(l.v[i].id, ':');
        char perms[6];
        acl_perms_text(l.v[i].perms, perms);
        if (strcmp(l.v[i].scheme, "digest") == 0 && colon && acl_is_digest_hash(colon + 1))
            sb_addf(out, "%sdigest:%.*s:%.6s…:%s", i ? "," : "", (int)(colon - l.v[i].id),
                    l.v[i].id, colon + 1, perms);
        else
            sb_addf(out, "%s%s:%s:%s", i ? "," : "", l.v[i].scheme, l.v[i].id, perms);
    }
    acl_list_free(&l);
}

static bool has_auth_entry(const struct acl_list *l)
{
    for (int32_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].scheme, "auth") == 0)
            return true;
    return false;
}

static void refuse_text(struct app *a, const char *why)
{
    snprintf(a->prompt.detail, sizeof a->prompt.detail, "not sent: %s   (Esc: cancel)", why);
    a->dirty = true;
}

/* The question before sending: old -> new, and what the change would cost. */
static void ask_confirm(struct app *a, const struct acl_list *l, const char *text)
{
    const char *const *ids;
    size_t nids = zk_auth_ids(a->zk, &ids);
    struct strbuf o = { 0 }, n = { 0 }, p = { 0 };
    char hashed[64] = "";
    const char *warn = "";
    /* Short enough to leave the keys on the line. */
    switch (acl_admin_after(l->v, l->n, ids, nids)) {
    case ACL_ADMIN_LOST:
        warn = "It leaves you no ADMIN (a): you could not change it back!  ";
        break;
    case ACL_ADMIN_UNKNOWN:
        warn = "Only ip or other entries give ADMIN (a): you may lose it.  ";
        break;
    case ACL_ADMIN_KEPT:
        break;
    }
    if (l->hashed)
        snprintf(hashed, sizeof hashed, ", %d password%s hashed", l->hashed,
                 l->hashed == 1 ? "" : "s");
    short_form(old_text, &o);
    short_form(text, &n);
    text_sanitize(a->prompt.path, strlen(a->prompt.path), &p);
    snprintf(a->prompt.detail, sizeof a->prompt.detail, "ACL of %s (aversion %d%s): %s -> %s",
             sb_str(&p), (int)a->prompt.version, hashed, sb_str(&o), sb_str(&n));
    snprintf(a->prompt.text, sizeof a->prompt.text,
             "%sSet it?   y: set   n: edit again   Esc: cancel", warn);
    sb_free(&o);
    sb_free(&n);
    sb_free(&p);
    a->prompt.kind = PROMPT_ACL_CONFIRM;
    a->prompt.label[0] = '\0';
    a->dirty = true;
}

/* Enter on the text: checked here, then asked about, or why not said. */
static void acl_entered(struct app *a)
{
    struct acl_list l;
    struct strbuf t = { 0 };
    char why[256];
    if (!acl_parse(a->prompt.input, &l, why, sizeof why)) {
        refuse_text(a, why);
        return;
    }
    if (has_auth_entry(&l) && zk_auth_count(a->zk) == 0) {
        refuse_text(a, "auth: gives to the session's own credentials, and zktui has none (auth: "
                       "in the config, or ZKTUI_AUTH)");
        acl_list_free(&l);
        return;
    }
    acl_format(l.v, l.n, &t);
    if (t.len >= sizeof a->prompt.input) {
        refuse_text(a, "too long for one line once the passwords are hashed");
    } else if (strcmp(sb_str(&t), old_text) == 0) {
        snprintf(a->info, sizeof a->info, "the ACL of %s is unchanged: nothing sent",
                 a->prompt.path);
        a->error[0] = '\0';
        app_prompt_clear(a);
    } else {
        /* From here on the text holds hashes, never a typed password. */
        memset(a->prompt.input, 0, sizeof a->prompt.input);
        memcpy(a->prompt.input, sb_str(&t), t.len + 1);
        a->prompt.ilen = t.len;
        ask_confirm(a, &l, sb_str(&t));
    }
    sb_free(&t);
    acl_list_free(&l);
}

static void acl_send(struct app *a)
{
    struct acl_list l;
    char why[256];
    if (!acl_parse(a->prompt.input, &l, why, sizeof why)) {
        app_error(a, "the ACL of %s was not set: %s", a->prompt.path, why);
        return;
    }
    if (!zk_set_acl(a->zk, a->prompt.path, l.v, l.n, a->prompt.version, 0))
        app_error(a, "the ACL of %s was not set: %s", a->prompt.path,
                  zk_read_only(a->zk) ? a->read_only_why : "not connected");
    else {
        snprintf(a->info, sizeof a->info, "setting the ACL of %s (aversion %d)...",
                 a->prompt.path, (int)a->prompt.version);
        snprintf(sent.path, sizeof sent.path, "%s", a->prompt.path);
        snprintf(sent.text, sizeof sent.text, "%s", a->prompt.input);
    }
    acl_list_free(&l);
}

/* ^W: back over the last entry (to the comma before it, kept). */
static void erase_entry(struct app *a)
{
    char copy[sizeof a->prompt.input];
    size_t n = a->prompt.ilen;
    while (n > 0 && a->prompt.input[n - 1] == ',')
        n--;
    while (n > 0 && a->prompt.input[n - 1] != ',')
        n--;
    memcpy(copy, a->prompt.input, n);
    copy[n] = '\0';
    app_prompt_input(a, PROMPT_ACL, label, copy);
}

void app_acl_key(struct app *a, int key)
{
    char copy[sizeof a->prompt.input];
    if (a->prompt.kind == PROMPT_ACL) {
        if (!a->prompt.label[0])
            return; /* still reading: only Esc, taken before */
        if (key == 23) /* ^W */
            erase_entry(a);
        else if (key == 21) /* ^U */
            app_prompt_input(a, PROMPT_ACL, label, "");
        else if (app_prompt_type(a, key))
            acl_entered(a);
        return;
    }
    switch (key) {
    case 'y':
    case 'Y':
        acl_send(a);
        app_prompt_clear(a);
        break;
    case 'n':
    case 'N':
        memcpy(copy, a->prompt.input, sizeof copy);
        snprintf(a->prompt.detail, sizeof a->prompt.detail,
                 "Edit the ACL again   Enter: check   ^W: erase an entry   Esc: cancel");
        app_prompt_input(a, PROMPT_ACL, label, copy);
        break;
    case 'q':
        snprintf(a->info, sizeof a->info, "nothing changed");
        a->error[0] = '\0';
        app_prompt_clear(a);
        break;
    default:
        break; /* an answer is needed */
    }
}

/* After a change: the ACL (and what it may now let us read) again. */
static void read_again(struct app *a, const char *path)
{
    struct node *n = store_get(a->store, path);
    if (!n)
        return;
    need_add(&a->needs, NEED_ACL, path);
    if (n->flags & NODE_NOAUTH) {
        n->flags &= ~(uint32_t)NODE_NOAUTH;
        a->store->gen++;
        if (n->flags & NODE_SELECTED)
            need_add(&a->needs, NEED_DATA, path);
        if (n->flags & (NODE_SELECTED | NODE_EXPANDED))
            need_add(&a->needs, NEED_KIDS, path);
    }
}

void app_acl_written(struct app *a, const struct msg *m)
{
    const char *path = m->path ? m->path : "?";
    bool known = strcmp(sent.path, path) == 0;
    char buf[512];
    if (m->res == ZRES_OK) {
        snprintf(a->info, sizeof a->info, "set the ACL of %s (was aversion %d)", path,
                 (int)m->version);
        a->error[0] = '\0';
        app_event(a, EV_CHANGE, "set the ACL of %s (was aversion %d)%s%s", path, (int)m->version,
                  known ? " to " : "", known ? sent.text : "");
    } else {
        app_error(a, "the ACL of %s was not set: %s", path,
                  m->res == ZRES_BADVERSION ? "the ACL changed since you looked (a: edit it as "
                                              "it is now)"
                  : m->res == ZRES_NONODE ? "the node is gone"
                  : zk_refusal(a->zk, m, buf, sizeof buf) ? buf
                                                          : zk_strerror(m->rc));
    }
    if (m->res != ZRES_NONODE)
        read_again(a, path);
    if (known)
        sent.path[0] = '\0';
    a->dirty = true;
}
