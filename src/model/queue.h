/* The one place threads meet: a mutex-protected FIFO of struct msg whose
 * wake fd becomes readable when the queue goes from empty to non-empty. Any
 * thread may push; only the UI thread pops. */
#ifndef ZKTUI_MODEL_QUEUE_H
#define ZKTUI_MODEL_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "msg.h"

struct queue;

/* A new queue, or NULL when out of memory or out of file descriptors. */
struct queue *queue_new(void);

/* Frees the queue and every message still in it. No thread may push any more
 * (close the ZooKeeper handle first). */
void queue_free(struct queue *q);

/* Appends m; the queue owns it from now on. Any thread. */
void queue_push(struct queue *q, struct msg *m);

/* The fd to poll for POLLIN. UI thread. */
int queue_fd(const struct queue *q);

/* Takes every queued message at once, oldest first, as a list linked by
 * ->next (NULL when empty), and clears the wake fd. UI thread. */
struct msg *queue_take_all(struct queue *q);

/* Number of messages pushed so far (for tests and the status bar). */
size_t queue_pushed(struct queue *q);

#endif
