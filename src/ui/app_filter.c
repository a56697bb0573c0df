/* "/": filters the visible tree by name as it is typed. Matching is a
 * substring, ASCII letters without case. Two ways to show it (Tab in the
 * prompt switches): dim the rows that do not match, or hide them, keeping
 * the ancestors of every match so the tree still reads as a tree. Esc in
 * the prompt, or Esc on the tree while a filter is on, clears it. UI
 * thread only. */
#include "ui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool app_filter_match(const struct app *a, const char *name, size_t *off)
{
    size_t flen = strlen(a->filter), nlen = strlen(name);
    if (!flen)
        return true;
    for (size_t i = 0; i + flen <= nlen; i++) {
        size_t j = 0;
        while (j < flen && lower((unsigned char)name[i + j]) == lower((unsigned char)a->filter[j]))
            j++;
        if (j == flen) {
            if (off)
                *off = i;
            return true;
        }
    }
    return false;
}

/* The rows a hiding filter keeps: each match, and its ancestors. Going
 * backwards, the first row no deeper than the one wanted is exactly the
 * ancestor wanted (rows between a node and its descendants are deeper). */
void app_filter_rows(struct app *a)
{
    struct rows *r = &a->rows;
    size_t kept = 0;
    bool *keep;
    int want = -1; /* the depth of the next ancestor to keep; -1 none */
    a->filter_hidden = 0;
    if (!a->filter[0] || !a->filter_hide || r->n == 0)
        return;
    if (!(keep = calloc(r->n, sizeof *keep)))
        return; /* out of memory: nothing hidden, still correct */
    for (size_t i = r->n; i-- > 0;) {
        const struct node *n = r->v[i];
        if ((n->parent && app_filter_match(a, n->name, NULL)) || (int)r->depth[i] <= want) {
            keep[i] = true;
            want = (int)r->depth[i] - 1;
        }
    }
    keep[0] = true; /* the top stays */
    for (size_t i = 0; i < r->n; i++) {
        if (!keep[i])
            continue;
        r->v[kept] = r->v[i];
        r->depth[kept] = r->depth[i];
        r->v[kept]->row = (uint32_t)kept;
        kept++;
    }
    a->filter_hidden = r->n - kept;
    r->n = kept;
    free(keep);
}

static void filter_show(struct app *a)
{
    snprintf(a->prompt.detail, sizeof a->prompt.detail,
             "Filter the tree by name as you type   Tab: %s the others   Enter: keep   "
             "Esc: clear",
             a->filter_hide ? "dim (not hide)" : "hide (not dim)");
    a->dirty = true;
}

void app_ask_filter(struct app *a)
{
    app_prompt_clear(a);
    a->screen = SCREEN_TREE;
    app_prompt_input(a, PROMPT_FILTER, "/", a->filter);
    filter_show(a);
}

static void refilter(struct app *a)
{
    snprintf(a->filter, sizeof a->filter, "%.127s", a->prompt.input);
    a->store->shape_gen++; /* the rows change */
    a->dirty = true;
}

void app_filter_clear(struct app *a)
{
    a->filter[0] = '\0';
    a->filter_hidden = 0;
    a->store->shape_gen++;
    a->dirty = true;
}

void app_filter_key(struct app *a, int key)
{
    if (key == '\t') {
        a->filter_hide = !a->filter_hide;
        a->store->shape_gen++;
        filter_show(a);
        return;
    }
    if (app_prompt_type(a, key)) {
        refilter(a);
        app_prompt_clear(a);
        if (a->filter[0])
            snprintf(a->info, sizeof a->info, "filter kept: / changes it, Esc clears it");
        return;
    }
    refilter(a);
}
