/* Node payloads: the data and ACL read for a node, held apart from the
 * node (most nodes never have either) and bounded by data_cache, the least
 * recently used dropped first. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static void list_unlink(struct store *s, struct node_pay *p)
{
    if (p->older)
        p->older->newer = p->newer;
    else
        s->pay_oldest = p->newer;
    if (p->newer)
        p->newer->older = p->older;
    else
        s->pay_newest = p->older;
    p->older = p->newer = NULL;
}

/* Puts p at the newest end: just read, or in use. */
static void list_push(struct store *s, struct node_pay *p)
{
    p->older = s->pay_newest;
    p->newer = NULL;
    if (s->pay_newest)
        s->pay_newest->newer = p;
    else
        s->pay_oldest = p;
    s->pay_newest = p;
}

/* n's payload, made if missing, and counted as used now. */
static struct node_pay *pay_get(struct store *s, struct node *n)
{
    struct node_pay *p = n->pay;
    if (p) {
        list_unlink(s, p);
    } else {
        if (!(p = calloc(1, sizeof *p)))
            return NULL;
        p->node = n;
        s->data_bytes += sizeof *p;
        s->npay++;
        n->pay = p;
    }
    list_push(s, p);
    return p;
}

static void data_free(struct store *s, struct node_pay *p)
{
    if (p->data)
        s->data_bytes -= (size_t)p->data_len + 1;
    free(p->data);
    p->data = NULL;
    p->data_len = 0;
}

static size_t acl_bytes(const struct acl_entry *v, int32_t n)
{
    size_t b = (size_t)n * sizeof *v;
    for (int32_t i = 0; i < n; i++)
        b += strlen(v[i].scheme) + 1 + strlen(v[i].id) + 1;
    return b;
}

static void acl_free(struct store *s, struct node_pay *p)
{
    if (p->acl) {
        s->data_bytes -= acl_bytes(p->acl, p->n_acl);
        for (int32_t i = 0; i < p->n_acl; i++) {
            free(p->acl[i].scheme);
            free(p->acl[i].id);
        }
    }
    free(p->acl);
    p->acl = NULL;
    p->n_acl = 0;
}

/* Frees n's payload; the flags are the caller's. */
static void pay_free(struct store *s, struct node *n)
{
    struct node_pay *p = n->pay;
    if (!p)
        return;
    data_free(s, p);
    acl_free(s, p);
    list_unlink(s, p);
    s->data_bytes -= sizeof *p;
    s->npay--;
    free(p);
    n->pay = NULL;
}

void pay_drop(struct store *s, struct node *n)
{
    pay_free(s, n);
    n->flags &= ~(uint32_t)(NODE_HAS_DATA | NODE_HAS_ACL);
}

/* Null data and an empty ACL need no payload: the flags say it. */
static void pay_tidy(struct store *s, struct node *n)
{
    if (n->pay && !n->pay->data && !n->pay->acl)
        pay_free(s, n);
}

bool store_set_data(struct store *s, struct node *n, const char *data, int32_t len)
{
    size_t l = len > 0 ? (size_t)len : 0;
    char *copy = data ? malloc(l + 1) : NULL;
    struct node_pay *p = NULL;
    s->gen++;
    n->flags &= ~(uint32_t)NODE_HAS_DATA;
    if (n->pay)
        data_free(s, n->pay);
    if ((data && !copy) || (copy && !(p = pay_get(s, n)))) {
        free(copy);
        pay_tidy(s, n);
        return false;
    }
    if (p) {
        memcpy(copy, data, l);
        copy[l] = '\0';
        p->data = copy;
        p->data_len = (int32_t)l;
        s->data_bytes += l + 1;
    }
    pay_tidy(s, n);
    n->flags |= NODE_HAS_DATA;
    return true;
}

bool store_set_acl(struct store *s, struct node *n, const struct acl_entry *acl, int32_t n_acl)
{
    size_t k = n_acl > 0 ? (size_t)n_acl : 0;
    struct acl_entry *v = k ? calloc(k, sizeof *v) : NULL;
    struct node_pay *p = NULL;
    bool ok = !k || v;
    for (size_t i = 0; ok && i < k; i++) {
        v[i].perms = acl[i].perms;
        v[i].scheme = strdup(acl[i].scheme ? acl[i].scheme : "");
        v[i].id = strdup(acl[i].id ? acl[i].id : "");
        ok = v[i].scheme && v[i].id;
    }
    s->gen++;
    n->flags &= ~(uint32_t)NODE_HAS_ACL;
    if (n->pay)
        acl_free(s, n->pay);
    if (ok && v && !(p = pay_get(s, n)))
        ok = false;
    if (!ok) {
        for (size_t i = 0; i < k && v; i++) {
            free(v[i].scheme);
            free(v[i].id);
        }
        free(v);
        pay_tidy(s, n);
        return false;
    }
    if (p) {
        p->acl = v;
        p->n_acl = (int32_t)k;
        s->data_bytes += acl_bytes(v, p->n_acl);
    }
    pay_tidy(s, n);
    n->flags |= NODE_HAS_ACL;
    return true;
}

void store_forget_data(struct store *s, struct node *n)
{
    n->flags &= ~(uint32_t)NODE_HAS_DATA;
    if (n->pay) {
        data_free(s, n->pay);
        pay_tidy(s, n);
    }
}

void store_trim(struct store *s, bool (*keep)(void *ctx, const struct node *n), void *ctx)
{
    struct node_pay *p = s->pay_oldest;
    /* Each looked at once: those kept go to the newest end. */
    for (size_t left = s->npay; p && left > 0 && s->data_bytes > s->data_cache; left--) {
        struct node_pay *next = p->newer;
        struct node *n = p->node;
        if ((n->flags & NODE_SELECTED) || (keep && keep(ctx, n))) {
            list_unlink(s, p);
            list_push(s, p);
        } else {
            pay_drop(s, n); /* nothing on screen shows it: no redraw */
        }
        p = next;
    }
}
