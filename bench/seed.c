/* seed: builds the benchmark's trees fast, with pipelined creates.
 *
 *   seed HOSTS tree PATH NODES   PATH/aNN/bNNNN/cNNNNN: 10 a, 100 b under
 *                                each, the rest as c spread evenly over the
 *                                b, so that PATH and all under it make NODES
 *   seed HOSTS wide PATH N       PATH with N children worker-NNNNNN.state
 *                                (19 bytes a name: past 50,000 the child
 *                                list's reply passes 1 MB)
 *
 * PATH's parents are made too; nodes already there are fine. Prints the
 * number of nodes it made or found. Exit 1 on any other error. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchzk.h"

#define WINDOW 2000

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long outstanding, made;
    int rc;
} s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, ZOK };

static zhandle_t *zh;

/* Runs on the ZooKeeper completion thread. */
static void created_cb(int rc, const char *value, const void *data)
{
    (void)value;
    (void)data;
    pthread_mutex_lock(&s.mu);
    if (rc == ZOK || rc == ZNODEEXISTS)
        s.made++;
    else if (s.rc == ZOK)
        s.rc = rc;
    s.outstanding--;
    pthread_cond_signal(&s.cv);
    pthread_mutex_unlock(&s.mu);
}

/* Sends one create, waiting while the window is full. Parents go first:
 * one session's requests are applied in the order sent. */
static int create(const char *path, const char *data)
{
    int rc;
    pthread_mutex_lock(&s.mu);
    while (s.outstanding >= WINDOW)
        pthread_cond_wait(&s.cv, &s.mu);
    rc = s.rc;
    if (rc == ZOK)
        s.outstanding++;
    pthread_mutex_unlock(&s.mu);
    if (rc != ZOK)
        return rc;
    rc = zoo_acreate(zh, path, data, (int)strlen(data), &ZOO_OPEN_ACL_UNSAFE, 0, created_cb,
                     NULL);
    if (rc != ZOK) {
        pthread_mutex_lock(&s.mu);
        s.outstanding--;
        pthread_mutex_unlock(&s.mu);
    }
    return rc;
}

/* The ancestors of path, made one at a time (they are few). */
static int make_parents(const char *path)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path);
    for (char *slash = strchr(p + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        int rc;
        *slash = '\0';
        rc = zoo_create(zh, p, "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, NULL, 0);
        *slash = '/';
        if (rc != ZOK && rc != ZNODEEXISTS)
            return rc;
    }
    return ZOK;
}

static int seed_tree(const char *top, long nodes)
{
    const long na = 10, nb = 100;
    long nc = nodes - 1 - na - na * nb;
    char p[1024], data[64];
    int rc;

    if (nc < 0)
        return ZBADARGUMENTS;
    if ((rc = create(top, "tree")) != ZOK)
        return rc;
    for (long a = 0; a < na; a++) {
        snprintf(p, sizeof p, "%s/a%02ld", top, a);
        if ((rc = create(p, "{\"level\":\"a\"}")) != ZOK)
            return rc;
        for (long b = 0; b < nb; b++) {
            long bi = a * nb + b;
            long kids = nc / (na * nb) + (bi < nc % (na * nb));
            snprintf(p, sizeof p, "%s/a%02ld/b%04ld", top, a, bi);
            if ((rc = create(p, "{\"level\":\"b\"}")) != ZOK)
                return rc;
            for (long c = 0; c < kids; c++) {
                snprintf(p, sizeof p, "%s/a%02ld/b%04ld/c%05ld", top, a, bi, bi * 100 + c);
                snprintf(data, sizeof data, "{\"id\":%ld,\"state\":\"ok\"}", bi * 100 + c);
                if ((rc = create(p, data)) != ZOK)
                    return rc;
            }
        }
    }
    return ZOK;
}

static int seed_wide(const char *top, long n)
{
    char p[1024];
    int rc;
    if ((rc = create(top, "wide")) != ZOK)
        return rc;
    for (long i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/worker-%06ld.state", top, i);
        if ((rc = create(p, "x")) != ZOK)
            return rc;
    }
    return ZOK;
}

int main(int argc, char **argv)
{
    long n;
    int rc;

    if (argc != 5 || (strcmp(argv[2], "tree") && strcmp(argv[2], "wide")) ||
        argv[3][0] != '/' || (n = atol(argv[4])) <= 0) {
        fprintf(stderr, "usage: seed HOSTS tree|wide PATH N\n");
        return 2;
    }
    if (!(zh = bench_connect("seed", argv[1])))
        return 1;
    rc = make_parents(argv[3]);
    if (rc == ZOK)
        rc = strcmp(argv[2], "tree") == 0 ? seed_tree(argv[3], n) : seed_wide(argv[3], n);
    pthread_mutex_lock(&s.mu);
    while (s.outstanding > 0)
        pthread_cond_wait(&s.cv, &s.mu);
    if (rc == ZOK)
        rc = s.rc;
    pthread_mutex_unlock(&s.mu);
    zookeeper_close(zh);
    if (rc != ZOK) {
        fprintf(stderr, "seed: %s: %s\n", argv[3], zerror(rc));
        return 1;
    }
    printf("%ld\n", s.made);
    return 0;
}
