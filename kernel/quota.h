/* Memory quotas: every byte a task's objects, frames and page tables take is
 * charged to a quota; a child quota's whole limit is charged to its parent. A
 * quota lists the objects charged to it and kills them when it dies, so its
 * memory always comes back. */
#pragma once
#include <stdint.h>
#include "object.h"

struct quota {
    struct kobj obj;            /* obj.charged: the parent, paying our limit */
    uint64_t limit;             /* bytes that may be charged */
    uint64_t used;              /* bytes charged now */
    uint32_t users;             /* live tasks using it as their own quota */
    struct kobj *objects;       /* objects charged to it (object.c) */
};

/* Charges bytes to q: E_QUOTA (nothing changes) if it would pass the limit. */
err_t quota_charge(struct quota *q, uint64_t bytes);
/* Returns bytes to q; returning more than was charged is a kernel bug (panic). */
void quota_uncharge(struct quota *q, uint64_t bytes);

/* Creates a quota of `limit` bytes owned by owner (may be NULL) and charged, limit
 * and all, to parent (NULL: the root quota, charged to nobody). */
err_t quota_create(struct quota *parent, struct task *owner, uint64_t limit,
                   struct quota **out);

/* Death action: kills every object charged to q. */
void quota_kill(struct quota *q);
