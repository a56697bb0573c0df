/* The command line (":"), k9s-style: a command name (or a unique prefix
 * of one) and its argument; Tab completes, Up/Down walk the history, which
 * is kept across runs in $XDG_STATE_HOME/zktui/history. UI thread only. */
#include "ui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/path.h"

#define HISTORY_MAX 500
#define CONFIG_MAX_CLUSTERS_SEEN 40 /* room for the completion's candidates */

struct command {
    const char *name;
    const char *args; /* for the help line */
    void (*run)(struct app *a, const char *arg, bool bang);
};

static void show(struct app *a, enum app_screen s, const char *arg, bool bang)
{
    (void)bang;
    if (arg[0])
        app_error(a, "this command takes no argument");
    else
        a->screen = s;
}

static void cmd_tree(struct app *a, const char *arg, bool bang)
{
    show(a, SCREEN_TREE, arg, bang);
}

static void cmd_locks(struct app *a, const char *arg, bool bang)
{
    show(a, SCREEN_LOCKS, arg, bang);
}

static void cmd_servers(struct app *a, const char *arg, bool bang)
{
    show(a, SCREEN_SERVICES, arg, bang);
}

static void cmd_ensemble(struct app *a, const char *arg, bool bang)
{
    show(a, SCREEN_ENSEMBLE, arg, bang);
}

static void cmd_events(struct app *a, const char *arg, bool bang)
{
    show(a, SCREEN_EVENTS, arg, bang);
}

static void cmd_sessions(struct app *a, const char *arg, bool bang)
{
    show(a, SCREEN_SESSIONS, arg, bang);
}

static void cmd_quit(struct app *a, const char *arg, bool bang)
{
    (void)arg, (void)bang;
    a->quit = true;
}

static void cmd_write(struct app *a, const char *arg, bool bang)
{
    char msg[500];
    bool ok = arg[0] ? app_save_events_to(a, arg, bang, msg, sizeof msg)
                     : app_save_events(a, msg, sizeof msg);
    if (ok) {
        snprintf(a->info, sizeof a->info, "%s", msg);
        a->error[0] = '\0';
    } else
        app_error(a, "%s", msg);
}

static void cmd_theme(struct app *a, const char *arg, bool bang)
{
    (void)bang;
    if (!arg[0])
        app_error(a, ":theme wants a name (default, light, high-contrast, mono) or a file");
    else
        snprintf(a->theme_request, sizeof a->theme_request, "%s", arg);
}

/* :ctx NAME: another cluster of the configuration, for the caller to open
 * (the loop ends); :ctx alone lists them. */
static void cmd_ctx(struct app *a, const char *arg, bool bang)
{
    size_t n = 0;
    (void)bang;
    if (a->nclusters == 0) {
        app_error(a, "no clusters: the configuration has no clusters: mapping");
        return;
    }
    if (!arg[0]) {
        n += (size_t)snprintf(a->info, sizeof a->info, "clusters:");
        for (int i = 0; i < a->nclusters && n < sizeof a->info; i++)
            n += (size_t)snprintf(a->info + n, sizeof a->info - n, " %s%s", a->clusters[i],
                                  strcmp(a->clusters[i], a->cluster) == 0 ? " (now)" : "");
        return;
    }
    for (int i = 0; i < a->nclusters; i++)
        if (strcmp(a->clusters[i], arg) == 0) {
            if (strcmp(arg, a->cluster) == 0)
                snprintf(a->info, sizeof a->info, "already on %s", arg);
            else
                snprintf(a->ctx_request, sizeof a->ctx_request, "%s", arg);
            return;
        }
    app_error(a, "no cluster '%s' (:ctx lists them)", arg);
}

/* :cd PATH: an absolute path, a name (or names) under the selected node,
 * or ".." for its parent; :cd alone is J's prompt. */
static void cmd_cd(struct app *a, const char *arg, bool bang)
{
    const char *from = app_selected(a)->path, *why = NULL;
    char *path;
    (void)bang;
    if (!arg[0]) {
        app_ask_jump(a);
        return;
    }
    if (arg[0] == '/')
        path = strdup(arg);
    else if (strcmp(arg, "..") == 0) {
        size_t n = path_parent_len(from);
        path = n ? strndup(from, n) : strdup("/");
    } else
        path = path_join(from, arg);
    if (!path) {
        app_error(a, "out of memory");
        return;
    }
    if (!path_is_valid(path, &why))
        app_error(a, ":cd: not a valid path: %s", why ? why : "?");
    else
        app_jump_to(a, path);
    free(path);
}

static void cmd_find(struct app *a, const char *arg, bool bang)
{
    (void)bang;
    app_find_command(a, arg);
}

static void cmd_help(struct app *a, const char *arg, bool bang);

static const struct command commands[] = {
    { "tree", "", cmd_tree },         { "locks", "", cmd_locks },
    { "servers", "", cmd_servers },   { "registries", "", cmd_servers },
    { "ensemble", "", cmd_ensemble }, { "events", "", cmd_events },
    { "sessions", "", cmd_sessions },
    { "theme", " NAME", cmd_theme },  { "w", " [FILE]", cmd_write },
    { "q", "", cmd_quit },            { "quit", "", cmd_quit },
    { "ctx", " [NAME]", cmd_ctx },    { "cd", " [PATH]", cmd_cd },
    { "find", " [-d] PATTERN [PATH]", cmd_find },
    { "help", "", cmd_help },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void cmd_help(struct app *a, const char *arg, bool bang)
{
    size_t n = 0;
    (void)arg, (void)bang;
    a->screen = SCREEN_HELP;
    n += (size_t)snprintf(a->info, sizeof a->info, "commands:");
    for (size_t i = 0; i < NCOMMANDS && n < sizeof a->info; i++)
        n += (size_t)snprintf(a->info + n, sizeof a->info - n, " :%s%s", commands[i].name,
                              commands[i].args);
}

/* The command named name: exact, else the only one it begins. */
static const struct command *lookup(const char *name, size_t len, size_t *matches)
{
    const struct command *found = NULL;
    *matches = 0;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strlen(commands[i].name) == len && strncmp(commands[i].name, name, len) == 0) {
            *matches = 1;
            return &commands[i];
        }
        if (strncmp(commands[i].name, name, len) == 0) {
            found = &commands[i];
            (*matches)++;
        }
    }
    return *matches == 1 ? found : NULL;
}

void app_run_command(struct app *a, const char *line)
{
    const char *p = line, *name, *arg;
    const struct command *c;
    size_t len, matches;
    bool bang;
    char argbuf[1024];
    while (*p == ' ' || *p == ':')
        p++;
    name = p;
    while (*p && *p != ' ' && *p != '!')
        p++;
    len = (size_t)(p - name);
    bang = *p == '!';
    if (bang)
        p++;
    while (*p == ' ')
        p++;
    arg = p;
    snprintf(argbuf, sizeof argbuf, "%s", arg);
    for (char *e = argbuf + strlen(argbuf); e > argbuf && e[-1] == ' ';)
        *--e = '\0';
    if (len == 0)
        return;
    c = lookup(name, len, &matches);
    if (!c) {
        app_error(a, matches ? "':%.*s' could be several commands: type more of it"
                             : "no command ':%.*s' (:help lists them)",
                  (int)len, name);
        return;
    }
    c->run(a, argbuf, bang);
}

/* ---- history ------------------------------------------------------------ */

static void history_add(struct app *a, const char *line)
{
    struct history *h = &a->history;
    char *copy;
    if (!line[0] || (h->n && strcmp(h->v[h->n - 1], line) == 0))
        return;
    if (!(copy = strdup(line)))
        return;
    if (h->n == HISTORY_MAX) {
        free(h->v[0]);
        memmove(h->v, h->v + 1, (h->n - 1) * sizeof *h->v);
        h->n--;
    } else {
        char **v = realloc(h->v, (h->n + 1) * sizeof *v);
        if (!v) {
            free(copy);
            return;
        }
        h->v = v;
    }
    h->v[h->n++] = copy;
    h->dirty = true;
}

static bool history_file(char *buf, size_t len)
{
    char dir[1024];
    if (!app_state_dir(dir, sizeof dir))
        return false;
    return (size_t)snprintf(buf, len, "%s/history", dir) < len;
}

void app_history_load(struct app *a)
{
    char file[1200], line[1100];
    FILE *f;
    if (!history_file(file, sizeof file) || !(f = fopen(file, "r")))
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        history_add(a, line);
    }
    fclose(f);
    a->history.dirty = false;
}

void app_history_save(const struct app *a)
{
    char file[1200], tmp[1300];
    FILE *f;
    if (!a->history.dirty || !history_file(file, sizeof file))
        return;
    snprintf(tmp, sizeof tmp, "%s.new", file);
    if (!(f = fopen(tmp, "w")))
        return;
    for (size_t i = 0; i < a->history.n; i++)
        fprintf(f, "%s\n", a->history.v[i]);
    if (fclose(f) == 0)
        rename(tmp, file);
    else
        remove(tmp);
}

void app_history_free(struct app *a)
{
    for (size_t i = 0; i < a->history.n; i++)
        free(a->history.v[i]);
    free(a->history.v);
    memset(&a->history, 0, sizeof a->history);
}

/* ---- the prompt ----------------------------------------------------------- */

static const char *const theme_names[] = { "default", "light", "high-contrast", "mono" };

static void set_line(struct app *a, const char *text)
{
    app_prompt_input(a, PROMPT_COMMAND, ":", text);
}

/* Tab: the longest common completion of the word being typed, or the
 * candidates on the line above when there is nothing more in common. */
static void complete(struct app *a)
{
    char *in = a->prompt.input, *sp = strchr(in, ' ');
    const char *cand[NCOMMANDS + CONFIG_MAX_CLUSTERS_SEEN];
    size_t n = 0, wlen, common = 0;
    const char *word;
    char line[1024];
    if (!sp) {
        word = in;
        for (size_t i = 0; i < NCOMMANDS; i++)
            cand[n++] = commands[i].name;
    } else if (strncmp(in, "theme ", 6) == 0) {
        word = sp + 1;
        for (size_t i = 0; i < sizeof theme_names / sizeof theme_names[0]; i++)
            cand[n++] = theme_names[i];
    } else if (strncmp(in, "ctx ", 4) == 0) {
        word = sp + 1;
        for (int i = 0; i < a->nclusters && n < sizeof cand / sizeof cand[0]; i++)
            cand[n++] = a->clusters[i];
    } else
        return;
    wlen = strlen(word);
    {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (strncmp(cand[i], word, wlen) == 0)
                cand[k++] = cand[i];
        n = k;
    }
    if (n == 0) {
        snprintf(a->prompt.detail, sizeof a->prompt.detail, "nothing begins with '%.200s'", word);
        a->dirty = true;
        return;
    }
    common = strlen(cand[0]);
    for (size_t i = 1; i < n; i++) {
        size_t j = 0;
        while (j < common && cand[i][j] == cand[0][j])
            j++;
        common = j;
    }
    if (common > wlen || n == 1) {
        snprintf(line, sizeof line, "%.*s%.*s%s", (int)(word - in), in, (int)common, cand[0],
                 n == 1 ? " " : "");
        set_line(a, line);
    } else {
        size_t k = (size_t)snprintf(a->prompt.detail, sizeof a->prompt.detail, "%zu:", n);
        for (size_t i = 0; i < n && k < sizeof a->prompt.detail; i++)
            k += (size_t)snprintf(a->prompt.detail + k, sizeof a->prompt.detail - k, " %s",
                                  cand[i]);
        a->dirty = true;
    }
}

void app_ask_command(struct app *a)
{
    app_prompt_clear(a);
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "Tab completes, Up/Down the history, Enter runs, Esc cancels; :help lists them");
    a->history.at = a->history.n;
    set_line(a, NULL);
}

void app_command_key(struct app *a, int key)
{
    struct history *h = &a->history;
    char line[1024];
    if (key == '\t' && strncmp(a->prompt.input, "cd ", 3) == 0 && a->prompt.input[3] == '/') {
        /* A path: J's prompt, which completes child names, takes over. */
        char path[sizeof a->prompt.input], label[sizeof a->prompt.label];
        snprintf(path, sizeof path, "%s", a->prompt.input + 3);
        app_ask_jump(a);
        snprintf(label, sizeof label, "%s", a->prompt.label);
        app_prompt_input(a, PROMPT_JUMP, label, path);
        app_jump_key(a, '\t');
        return;
    }
    if (key == '\t') {
        complete(a);
        return;
    }
    if (key == APP_KEY_UP || key == APP_KEY_DOWN) {
        if (key == APP_KEY_UP && h->at > 0)
            h->at--;
        else if (key == APP_KEY_DOWN && h->at < h->n)
            h->at++;
        set_line(a, h->at < h->n ? h->v[h->at] : "");
        return;
    }
    if (!app_prompt_type(a, key))
        return;
    snprintf(line, sizeof line, "%s", a->prompt.input);
    app_prompt_clear(a);
    history_add(a, line);
    app_run_command(a, line);
}
