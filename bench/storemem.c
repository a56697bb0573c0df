/* storemem: what the node store costs, without a server or a terminal.
 *
 *   storemem [-n NODES] [-o]     bytes per node for the bench's tree shape
 *                                /bench/t/aNN/bNNNN/cNNNNN (10 a, 100 b
 *                                under each, the rest as c spread evenly),
 *                                loaded as replies load it: each node's
 *                                child list and stat through store_apply.
 *                                -o: also every node opened and the rows
 *                                listed (store_flatten), as in the TUI with
 *                                the whole tree open.
 *   storemem -k KIDS [-r REPS]   one node with KIDS children: the time of
 *                                one child inserted and removed (a watch
 *                                event's worth), and of a full re-read of
 *                                the list with one name changed.
 *
 * Memory is malloc's own count (mallinfo2: bytes handed out, chunk headers
 * and rounding included, mmapped blocks too), before and after, over the nodes made. "beyond
 * the name" takes away each node's name bytes (without the NUL), the
 * measure of issue 7. Not linked into zktui; built by `make bench`. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model/store.h"

/* Small blocks from the heap, large ones (tables, long lists) mmapped. */
static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* The reply to a children read of path: names, and a stat. */
static void apply_list(struct store *s, struct need_list *needs, const char *path, char **names,
                       int32_t n)
{
    struct msg m = { 0 };
    m.kind = MSG_CHILDREN;
    m.res = ZRES_OK;
    m.path = (char *)path;
    m.names = names;
    m.n_names = n;
    m.has_stat = true;
    m.stat.num_children = n;
    m.stat.czxid = m.stat.mzxid = m.stat.pzxid = 0x100000001;
    store_apply(s, &m, needs);
    need_clear(needs);
}

/* The names of the level below path in the bench's tree. */
static int32_t level_names(int depth, long idx, long na, long nb, long nc, char ***out)
{
    long n = depth == 0 ? na : depth == 1 ? nb : nc / (na * nb) + (idx < nc % (na * nb));
    char **v = calloc((size_t)(n ? n : 1), sizeof *v);
    for (long i = 0; v && i < n; i++) {
        char buf[48];
        if (depth == 0)
            snprintf(buf, sizeof buf, "a%02ld", i);
        else if (depth == 1)
            snprintf(buf, sizeof buf, "b%04ld", idx * nb + i);
        else
            snprintf(buf, sizeof buf, "c%05ld", idx * 100 + i);
        v[i] = strdup(buf);
    }
    *out = v;
    return (int32_t)n;
}

static void free_names(char **v, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int tree_mem(long nodes, bool open)
{
    const long na = 10, nb = 100;
    long nc = nodes - 1 - na - na * nb, made = 0;
    size_t name_bytes = 0, path_bytes = 0, before, after, loaded;
    struct need_list needs = { 0 };
    struct rows rows = { 0 };
    struct store *s;
    char *t1[] = { "bench" }, *t2[] = { "t" };
    if (nc < 0) {
        fprintf(stderr, "storemem: -n must be at least %ld\n", 1 + na + na * nb);
        return 2;
    }
    s = store_new();
    if (!s)
        return 1;
    apply_list(s, &needs, "/", t1, 1);
    apply_list(s, &needs, "/bench", t2, 1);
    before = heap_used();
    /* The same order as a walk: a level's lists, then the next level's;
     * each name's buffer freed after its reply as the queue frees it. */
    {
        char **an;
        int32_t a_n = level_names(0, 0, na, nb, nc, &an);
        apply_list(s, &needs, "/bench/t", an, a_n);
        for (int32_t a = 0; a < a_n; a++) {
            char pa[64], **bn;
            int32_t b_n;
            snprintf(pa, sizeof pa, "/bench/t/%s", an[a]);
            b_n = level_names(1, a, na, nb, nc, &bn);
            apply_list(s, &needs, pa, bn, b_n);
            for (int32_t b = 0; b < b_n; b++) {
                char pb[160], **cn;
                long bi = a * nb + b;
                int32_t c_n;
                snprintf(pb, sizeof pb, "%s/%s", pa, bn[b]);
                c_n = level_names(2, bi, na, nb, nc, &cn);
                apply_list(s, &needs, pb, cn, c_n);
                for (int32_t c = 0; c < c_n; c++) {
                    char pc[256];
                    snprintf(pc, sizeof pc, "%s/%s", pb, cn[c]);
                    apply_list(s, &needs, pc, NULL, 0);
                    name_bytes += strlen(cn[c]);
                    path_bytes += strlen(pc);
                }
                made += c_n;
                free_names(cn, c_n);
                name_bytes += strlen(bn[b]);
                path_bytes += strlen(pb);
            }
            made += b_n;
            free_names(bn, b_n);
            name_bytes += strlen(an[a]);
            path_bytes += strlen(pa);
        }
        made += a_n;
        free_names(an, a_n);
    }
    made += 1; /* t itself, made before but counted as the bench counts it */
    name_bytes += 1;
    path_bytes += strlen("/bench/t");
    if (open) {
        for (size_t i = 0; i < s->nbuckets; i++)
            for (struct node *n = s->buckets[i]; n; n = n->hnext)
                n->flags |= NODE_EXPANDED;
        store_flatten(s, s->root, &rows);
    }
    after = heap_used();
    loaded = after - before;
    printf("sizeof(struct node)     %zu B (and %zu B of payload for a node whose data or ACL was read)\n",
           sizeof(struct node), sizeof(struct node_pay));
    printf("nodes                   %ld (store holds %zu)\n", made, s->count);
    printf("mean name / path        %.1f / %.1f B\n", (double)name_bytes / (double)made,
           (double)path_bytes / (double)made);
    printf("heap for them           %zu B%s\n", loaded, open ? " (rows of the open tree too)" : "");
    printf("per node                %.1f B\n", (double)loaded / (double)made);
    printf("per node beyond name    %.1f B\n",
           ((double)loaded - (double)name_bytes) / (double)made);
    printf("hash buckets            %zu for %zu nodes (load %.2f)\n", s->nbuckets, s->count,
           (double)s->count / (double)s->nbuckets);
    rows_free(&rows);
    store_free(s);
    need_free(&needs);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int wide_time(long kids, long reps)
{
    struct need_list needs = { 0 };
    struct store *s = store_new();
    char **names = calloc((size_t)kids, sizeof *names);
    double t0, ins = 0, del = 0, reread;
    if (!s || !names)
        return 1;
    for (long i = 0; i < kids; i++) {
        char buf[48];
        snprintf(buf, sizeof buf, "worker-%06ld.state", i * 2);
        names[i] = strdup(buf);
    }
    apply_list(s, &needs, "/", (char *[]){ "wide" }, 1);
    apply_list(s, &needs, "/wide", names, (int32_t)kids);
    srand(7);
    for (long r = 0; r < reps; r++) {
        char p[64];
        struct node *n;
        /* An odd number: between two that are there, anywhere in the list. */
        snprintf(p, sizeof p, "/wide/worker-%06ld.state", (long)(rand() % kids) * 2 + 1);
        t0 = now_us();
        n = store_ensure(s, p);
        ins += now_us() - t0;
        t0 = now_us();
        store_remove(s, n);
        del += now_us() - t0;
    }
    /* A full re-read, one child gone and another come: what every child
     * event costs, since the server sends the whole list again. */
    qsort(names, (size_t)kids, sizeof *names, cmp_str);
    free(names[kids / 2]);
    names[kids / 2] = strdup("worker-zzzzzz.state");
    t0 = now_us();
    apply_list(s, &needs, "/wide", names, (int32_t)kids);
    reread = now_us() - t0;
    printf("children                %ld\n", kids);
    printf("insert one              %.2f us (mean of %ld)\n", ins / (double)reps, reps);
    printf("remove one              %.2f us (mean of %ld)\n", del / (double)reps, reps);
    printf("re-read the whole list  %.0f us (one name changed)\n", reread);
    free_names(names, (int32_t)kids);
    store_free(s);
    need_free(&needs);
    return 0;
}

int main(int argc, char **argv)
{
    long nodes = 100000, kids = 0, reps = 10000;
    bool open = false;
    int c;
    while ((c = getopt(argc, argv, "n:ok:r:")) != -1) {
        switch (c) {
        case 'n': nodes = atol(optarg); break;
        case 'o': open = true; break;
        case 'k': kids = atol(optarg); break;
        case 'r': reps = atol(optarg); break;
        default:
            fprintf(stderr, "usage: storemem [-n NODES] [-o] | -k KIDS [-r REPS]\n");
            return 2;
        }
    }
    if (kids > 0)
        return wide_time(kids, reps > 0 ? reps : 1);
    return tree_mem(nodes, open);
}
