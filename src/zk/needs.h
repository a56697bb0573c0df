/* Sending the reads the model asks for (a need_list) on a session. UI
 * thread only (or the one thread of a batch run). */
#ifndef ZKTUI_ZK_NEEDS_H
#define ZKTUI_ZK_NEEDS_H

#include "model/store.h"
#include "zk/session.h"

/* Sends each read in needs whose node is still in s and has no such read in
 * flight, marks it pending, and empties the list. */
void zk_send_needs(struct zk *z, struct store *s, struct need_list *needs);

#endif
