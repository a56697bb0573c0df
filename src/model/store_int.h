/* Shared between the store's files; not for other rooms. */
#ifndef ZKTUI_MODEL_STORE_INT_H
#define ZKTUI_MODEL_STORE_INT_H

#include "store.h"

/* Frees n's payload (data and ACL), if any, clearing NODE_HAS_DATA and
 * NODE_HAS_ACL. */
void pay_drop(struct store *s, struct node *n);

#endif
