#include "queue.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct queue {
    pthread_mutex_t lock;
    struct msg *head;
    struct msg *tail;
    size_t pushed;
    int rfd;
    int wfd;
};

struct queue *queue_new(void)
{
    struct queue *q = calloc(1, sizeof *q);
    int fds[2];
    if (!q)
        return NULL;
    if (pipe(fds) != 0) {
        free(q);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    q->rfd = fds[0];
    q->wfd = fds[1];
    pthread_mutex_init(&q->lock, NULL);
    return q;
}

void queue_free(struct queue *q)
{
    struct msg *m;
    if (!q)
        return;
    m = q->head;
    while (m) {
        struct msg *next = m->next;
        msg_free(m);
        m = next;
    }
    close(q->rfd);
    close(q->wfd);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

void queue_push(struct queue *q, struct msg *m)
{
    bool was_empty;
    m->next = NULL;
    pthread_mutex_lock(&q->lock);
    was_empty = q->head == NULL;
    if (q->tail)
        q->tail->next = m;
    else
        q->head = m;
    q->tail = m;
    q->pushed++;
    pthread_mutex_unlock(&q->lock);
    /* One byte per empty→non-empty edge: the pipe never fills. */
    if (was_empty) {
        char c = 1;
        ssize_t n;
        do
            n = write(q->wfd, &c, 1);
        while (n < 0 && errno == EINTR);
    }
}

int queue_fd(const struct queue *q)
{
    return q->rfd;
}

struct msg *queue_take_all(struct queue *q)
{
    struct msg *all;
    char buf[64];
    pthread_mutex_lock(&q->lock);
    /* Drain under the lock so a push after this sees an empty queue and
     * writes a fresh wake byte. */
    while (read(q->rfd, buf, sizeof buf) > 0)
        ;
    all = q->head;
    q->head = q->tail = NULL;
    pthread_mutex_unlock(&q->lock);
    return all;
}

size_t queue_pushed(struct queue *q)
{
    size_t n;
    pthread_mutex_lock(&q->lock);
    n = q->pushed;
    pthread_mutex_unlock(&q->lock);
    return n;
}
