/* rawwalk: the fastest whole-tree walk we know how to write with the C
 * client, as the limit zktui is measured against.
 *
 *   rawwalk [-w WINDOW] HOSTS PATH
 *
 * Reads the children of PATH and of everything under it with async
 * getChildren2, at most WINDOW (default 1000) requests in flight, no watch
 * left behind, and prints "nodes N ms T" (N counts PATH itself; T from the
 * first request to the last reply, connecting not included). Nothing else
 * is kept: no store, no sorting, no output per node. The next requests are
 * sent from the completion thread itself, so no thread hand-off slows it.
 * Exit 1 on any error from the server. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchzk.h"

struct walk {
    zhandle_t *zh;
    long window;
    char **todo; /* a FIFO of paths whose children are still to be read */
    size_t head, tail, cap;
    long in_flight;
    long nodes;
    int rc;
    pthread_mutex_t mu; /* only for done, between the two threads */
    pthread_cond_t cv;
    int done;
};

static struct walk w = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void finish(int rc)
{
    pthread_mutex_lock(&w.mu);
    if (rc && !w.rc)
        w.rc = rc;
    w.done = 1;
    pthread_cond_signal(&w.cv);
    pthread_mutex_unlock(&w.mu);
}

static int push(char *path)
{
    if (w.tail == w.cap) {
        /* Slide what is left to the front before growing. */
        if (w.head > 0) {
            memmove(w.todo, w.todo + w.head, (w.tail - w.head) * sizeof *w.todo);
            w.tail -= w.head;
            w.head = 0;
        }
        if (w.tail == w.cap) {
            size_t cap = w.cap ? w.cap * 2 : 4096;
            char **v = realloc(w.todo, cap * sizeof *v);
            if (!v)
                return ZSYSTEMERROR;
            w.todo = v;
            w.cap = cap;
        }
    }
    w.todo[w.tail++] = path;
    return ZOK;
}

static void children_cb(int rc, const struct String_vector *kids, const struct Stat *st,
                        const void *data);

/* Runs on the completion thread only: the main thread sends the first
 * request and touches the walk no more until it is done. */
static int send_more(void)
{
    while (w.head < w.tail && w.in_flight < w.window) {
        char *path = w.todo[w.head++];
        int rc = zoo_aget_children2(w.zh, path, 0, children_cb, path);
        if (rc != ZOK) {
            free(path);
            return rc;
        }
        w.in_flight++;
    }
    return ZOK;
}

/* Runs on the ZooKeeper completion thread. */
static void children_cb(int rc, const struct String_vector *kids, const struct Stat *st,
                        const void *data)
{
    char *path = (char *)data;
    size_t plen = strlen(path);
    (void)st;

    w.in_flight--;
    if (rc == ZOK) {
        w.nodes++;
        for (int i = 0; i < kids->count && rc == ZOK; i++) {
            size_t klen = strlen(kids->data[i]);
            char *kid = malloc(plen + klen + 2);
            if (!kid) {
                rc = ZSYSTEMERROR;
                break;
            }
            memcpy(kid, path, plen);
            kid[plen] = '/';
            memcpy(kid + plen + (plen > 1), kids->data[i], klen + 1);
            rc = push(kid);
        }
    } else if (rc == ZNONODE && w.nodes > 0) {
        rc = ZOK; /* deleted while we walked: not an error, not a node */
    }
    free(path);
    if (rc == ZOK)
        rc = send_more();
    if (rc != ZOK || w.in_flight == 0)
        finish(rc);
}

int main(int argc, char **argv)
{
    int opt;
    char *root;
    int64_t t0, t1;

    w.window = 1000;
    while ((opt = getopt(argc, argv, "w:")) != -1) {
        if (opt == 'w' && (w.window = atol(optarg)) > 0)
            continue;
        fprintf(stderr, "usage: rawwalk [-w WINDOW] HOSTS PATH\n");
        return 2;
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: rawwalk [-w WINDOW] HOSTS PATH\n");
        return 2;
    }
    if (!(w.zh = bench_connect("rawwalk", argv[optind])))
        return 1;
    if (!(root = strdup(argv[optind + 1]))) {
        fprintf(stderr, "rawwalk: out of memory\n");
        return 1;
    }
    t0 = bench_now_ns();
    w.in_flight = 1; /* before sending: the reply may come at once */
    pthread_mutex_lock(&w.mu);
    if ((w.rc = zoo_aget_children2(w.zh, root, 0, children_cb, root)) != ZOK)
        w.done = 1;
    while (!w.done)
        pthread_cond_wait(&w.cv, &w.mu);
    pthread_mutex_unlock(&w.mu);
    t1 = bench_now_ns();
    zookeeper_close(w.zh);
    if (w.rc != ZOK) {
        fprintf(stderr, "rawwalk: %s: %s (after %ld nodes)\n", argv[optind + 1], zerror(w.rc),
                w.nodes);
        return 1;
    }
    printf("nodes %ld ms %.1f\n", w.nodes, (double)(t1 - t0) / 1e6);
    return 0;
}
