/* See app_sessions.h. */
#include "ui/app_sessions.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/datafmt.h"

/* A busy server's cons lists every connection, ~250 bytes each: room for
 * tens of thousands. */
#define CONS_MAX (8 * 1024 * 1024)
#define MAX_TARGETS 64


static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct sessions_ui *app_sessions(struct app *a)
{
    if (!a->sess)
        a->sess = calloc(1, sizeof *a->sess);
    return a->sess;
}

static void question_free(struct sessions_ui *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->paths[i]);
    free(s->paths);
    free(s->versions);
    s->paths = NULL;
    s->versions = NULL;
    s->n = 0;
}

void app_sessions_free(struct app *a)
{
    struct sessions_ui *s = a->sess;
    if (!s)
        return;
    fourlw_free(s->ask);
    for (size_t i = 0; i < s->nsrv; i++)
        cons_answer_free(&s->srv[i].ans);
    free(s->srv);
    sessions_free(&s->list);
    question_free(s);
    free(s);
    a->sess = NULL;
}

bool app_sessions_rebuild(struct app *a)
{
    struct sessions_ui *s = app_sessions(a);
    return s && sessions_build(&s->list, a->store, &a->mon, a->session_id);
}

/* ---- cons ------------------------------------------------------------------ */

/* Every ensemble member (the addresses the prober resolved at start-up),
 * and the server the session is on when it is none of them. */
static size_t targets(struct app *a, struct fourlw_target *t, size_t max)
{
    size_t n = 0;
    struct fourlw_target cur;
    bool have_cur = a->server[0] && fourlw_target_numeric(&cur, a->server);
    for (size_t i = 0; a->probe && i < a->ens.n && n < max; i++)
        fourlw_target_ai(&t[n++], a->ens.v[i].name, probe_addrinfo(a->probe, i));
    for (size_t i = 0; have_cur && i < n; i++)
        if (fourlw_target_same(&cur, &t[i]))
            have_cur = false;
    if (have_cur && n < max)
        t[n++] = cur;
    return n;
}

/* The servers of a new round, keeping what each said last time it was
 * asked (by name) until it answers again. */
static bool servers_renew(struct sessions_ui *s, const struct fourlw_target *t, size_t n)
{
    struct cons_server *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++) {
        snprintf(v[i].name, sizeof v[i].name, "%s", t[i].name);
        v[i].state = CONS_ASKING;
        v[i].ans.status = CONS_BAD;
        for (size_t j = 0; j < s->nsrv; j++)
            if (strcmp(s->srv[j].name, t[i].name) == 0 && s->srv[j].name[0]) {
                v[i] = s->srv[j];
                memset(&s->srv[j], 0, sizeof s->srv[j]); /* moved */
                break;
            }
    }
    for (size_t j = 0; j < s->nsrv; j++)
        cons_answer_free(&s->srv[j].ans);
    free(s->srv);
    s->srv = v;
    s->nsrv = n;
    return true;
}

static void round_start(struct app *a, struct sessions_ui *s, long long now)
{
    struct fourlw_target *t = calloc(MAX_TARGETS, sizeof *t);
    size_t n = t ? targets(a, t, MAX_TARGETS) : 0;
    s->next_round = now + a->probe_interval_ms;
    if (t && servers_renew(s, t, n) && fourlw_start(s->ask, t, n, now))
        s->rounds++;
    free(t);
}

static void on_cons(void *ctx, size_t i, const struct fourlw_result *r)
{
    struct app *a = ctx;
    struct sessions_ui *s = a->sess;
    struct cons_server *v;
    struct cons_answer ans;
    if (i >= s->nsrv)
        return;
    v = &s->srv[i];
    v->at_ms = app_now_ms();
    a->dirty = true;
    if (!r->ok) {
        v->state = CONS_DOWN;
        snprintf(v->why, sizeof v->why, "%s", r->why);
        return;
    }
    switch (cons_parse(r->text, r->len, &ans)) {
    case CONS_OK:
        cons_answer_free(&v->ans);
        v->ans = ans;
        v->state = CONS_ANSWERED;
        v->why[0] = '\0';
        return;
    case CONS_NOT_ALLOWED:
        v->state = CONS_REFUSED;
        snprintf(v->why, sizeof v->why, "cons is not allowed (4lw.commands.whitelist)");
        break;
    case CONS_NOT_SERVING:
        v->state = CONS_DOWN;
        snprintf(v->why, sizeof v->why, "not serving requests");
        break;
    case CONS_BAD:
        v->state = CONS_DOWN;
        snprintf(v->why, sizeof v->why, "%s",
                 r->len ? "not a cons answer" : "closed without answering");
        break;
    }
    cons_answer_free(&ans);
}

int app_sessions_fds(struct app *a, struct pollfd *fds, int max, int *timeout)
{
    struct sessions_ui *s = a->sess;
    long long now;
    int t;
    if (a->screen != SCREEN_SESSIONS && (!s || !s->ask || !fourlw_busy(s->ask)))
        return 0;
    if (!(s = app_sessions(a)))
        return 0;
    if (!s->ask) {
        int tmo = a->probe_interval_ms < 1000 ? a->probe_interval_ms : 1000;
        if (!(s->ask = fourlw_new("cons", CONS_MAX, tmo > 0 ? tmo : 1000)))
            return 0;
    }
    now = mono_ms();
    t = fourlw_timeout(s->ask, now);
    if (t < 0 && a->screen == SCREEN_SESSIONS)
        t = s->next_round > now ? (int)(s->next_round - now) : 0;
    if (t >= 0 && (*timeout < 0 || t < *timeout))
        *timeout = t;
    return fourlw_pollfds(s->ask, fds, max);
}

void app_sessions_run(struct app *a, const struct pollfd *fds, int n)
{
    struct sessions_ui *s = a->sess;
    long long now = mono_ms();
    if (!s || !s->ask)
        return;
    fourlw_run(s->ask, fds, n, now, on_cons, a);
    if (a->screen == SCREEN_SESSIONS && !fourlw_busy(s->ask) && now >= s->next_round)
        round_start(a, s, now);
}

bool app_sessions_ticking(const struct app *a)
{
    return a->sess && a->sess->list.n > 0;
}

/* ---- deleting a session's nodes --------------------------------------------------- */

/* "client 127.0.0.1:34580" when cons knows it, "" otherwise. */
static void client_of(const struct sessions_ui *s, int64_t sid, char *buf, size_t len)
{
    const struct cons_conn *c = cons_find(s->srv, s->nsrv, sid, NULL);
    if (c)
        snprintf(buf, len, "client %s", c->client);
    else if (len)
        buf[0] = '\0';
}

static bool question_take(struct sessions_ui *s, const struct sess_group *g)
{
    question_free(s);
    s->paths = calloc(g->n, sizeof *s->paths);
    s->versions = calloc(g->n, sizeof *s->versions);
    if (!s->paths || !s->versions)
        return false;
    for (; s->n < g->n; s->n++) {
        if (!(s->paths[s->n] = strdup(g->e[s->n].node->path)))
            return false;
        s->versions[s->n] = g->e[s->n].node->stat.version;
    }
    return true;
}

/* The group on line (its heading, or one of its nodes: *e), as the pane
 * lays them out; the last line past the end. NULL when there is none. */
static const struct sess_group *line_at(const struct sess_list *l, size_t line,
                                        const struct sess_entry **e)
{
    *e = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct sess_group *g = &l->v[i];
        if (line <= g->n || i + 1 == l->n) {
            if (line > g->n)
                line = g->n;
            *e = line ? &g->e[line - 1] : NULL;
            return g;
        }
        line -= 1 + g->n;
    }
    return NULL;
}

void app_sessions_ask_delete(struct app *a)
{
    struct sessions_ui *s = app_sessions(a);
    const struct sess_group *g;
    const struct sess_entry *e;
    char roles[600], client[96];
    struct strbuf r = { 0 };
    if (!s || !app_sessions_rebuild(a)) {
        app_error(a, "out of memory");
        return;
    }
    /* The line under the cursor now: keys typed before the next frame
     * (j then d) act on where they moved it. */
    if (!(g = line_at(&s->list, a->list_cursor[SCREEN_SESSIONS], &e))) {
        app_error(a, "no session owns a node zktui has read");
        return;
    }
    if (e) {
        app_ask_delete(a, e->node);
        return;
    }
    if (a->read_only) {
        app_error(a, "%s", a->read_only_why);
        return;
    }
    if (a->del.sending) {
        app_error(a, "still deleting %s: wait for it to finish", a->del.what);
        return;
    }
    if (!question_take(s, g)) {
        question_free(s);
        app_error(a, "out of memory");
        return;
    }
    snprintf(s->what, sizeof s->what, "the ephemeral nodes of session 0x%" PRIx64,
             (uint64_t)g->sid);
    sess_group_roles(g, roles, sizeof roles);
    text_sanitize(roles, strlen(roles), &r);
    client_of(s, g->sid, client, sizeof client);
    app_prompt_clear(a);
    /* The question line, with the keys, is never cut off: it says the
     * session stays; the line above may be, so what matters comes first. */
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "%s%sits nodes: %s. Only the nodes go: the session is not ended, and may create "
             "nodes again.", client, client[0] ? "; " : "", sb_str(&r));
    if (a->prompt.detail[0] >= 'a' && a->prompt.detail[0] <= 'z')
        a->prompt.detail[0] = (char)(a->prompt.detail[0] - 'a' + 'A');
    snprintf(a->prompt.text, sizeof a->prompt.text,
             "Delete all %zu node%s of session 0x%" PRIx64 "%s? It stays alive.   y: delete them"
             "   n: keep", g->n, g->n == 1 ? "" : "s", (uint64_t)g->sid,
             g->own ? " (zktui's own)" : "");
    sb_free(&r);
    a->prompt.kind = PROMPT_SESSION_DELETE;
    a->dirty = true;
}

void app_sessions_prompt_key(struct app *a, int key)
{
    struct sessions_ui *s = a->sess;
    switch (key) {
    case 'y':
    case 'Y':
        app_prompt_clear(a);
        if (s && s->n)
            app_delete_nodes(a, s->paths, s->versions, s->n, s->what);
        break;
    case 'n':
    case 'N':
    case 'q':
    case 27:
    case 3:
        app_prompt_clear(a);
        snprintf(a->info, sizeof a->info, "nothing changed");
        a->error[0] = '\0';
        break;
    default:
        return; /* an answer is needed: anything else waits */
    }
    if (s)
        question_free(s);
}
