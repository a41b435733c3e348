/* Memory quotas: every byte a task's objects, frames and page tables take is
 * charged to a quota; a child quota's whole limit is charged to its parent. */
#pragma once
#include <stdint.h>
#include "object.h"

struct quota {
    struct kobj obj;
    uint64_t limit;             /* bytes that may be charged */
    uint64_t used;              /* bytes charged now */
    struct quota *parent;       /* charged `limit` bytes for us; referenced */
};

/* Charges bytes to q: E_QUOTA (nothing changes) if it would pass the limit. */
err_t quota_charge(struct quota *q, uint64_t bytes);
/* Returns bytes to q. */
void quota_uncharge(struct quota *q, uint64_t bytes);

/* Creates a quota of `limit` bytes charged to parent (NULL: the root quota). */
err_t quota_create(struct quota *parent, struct task *owner, uint64_t limit,
                   struct quota **out);
