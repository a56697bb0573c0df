/* Shared between monitor.c and lockview.c; not for other rooms. */
#ifndef ZKTUI_MODEL_MONITOR_INT_H
#define ZKTUI_MODEL_MONITOR_INT_H

#include "monitor.h"

bool monitor_is_lock_root(const struct monitor *mo, const struct node *n);
/* Keeps n's children watched (NODE_MONITOR), reading them if needed. */
void monitor_watch_kids(struct store *s, struct node *n, struct need_list *needs);
/* The node dir/name, or NULL. */
struct node *path_join_get(struct store *s, const char *dir, const char *name);
/* A contender created while we watched was seen now: local minus ctime
 * bounds the clock skew from above; the smallest such is the estimate. */
void monitor_skew_sample(struct monitor *mo, int64_t now_ms, int64_t ctime);

/* The lock view queueing in n (a semaphore's when n is one's queue),
 * made if new. */
/* lock_parse for a child of q, where a wrapped (negative) number counts only
 * if q's counter has wrapped. */
bool lockview_contender(const struct node *q, const char *name, struct lock_entry *e);
/* True when n is a semaphore's queue (Curator's <x>/locks beside
 * <x>/leases, kazoo's <x>-__lock__ beside <x>): a lock even while empty. */
bool lockview_is_queue(struct store *s, const struct node *n);
void lockview_find(struct monitor *mo, struct store *s, struct node *n, struct need_list *needs);
void lockview_refresh_all(struct monitor *mo, struct store *s, int64_t now_ms,
                          struct event_log *log, struct need_list *needs);
void lockview_free(struct lock_view *v);
/* True when a lock view queues in queue_path. */
bool lockview_followed(struct monitor *mo, const char *queue_path);

#endif
