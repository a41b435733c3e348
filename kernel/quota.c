/* Quota accounting (see quota.h). */
#include "panic.h"
#include "quota.h"

err_t quota_charge(struct quota *q, uint64_t bytes)
{
    if (bytes > q->limit - q->used)
        return E_QUOTA;
    q->used += bytes;
    return E_OK;
}

void quota_uncharge(struct quota *q, uint64_t bytes)
{
    kassert(bytes <= q->used, "quota uncharged below zero");
    q->used -= bytes;
}

err_t quota_create(struct quota *parent, struct task *owner, uint64_t limit,
                   struct quota **out)
{
    struct kobj *o;
    err_t e = kobj_create(RS_OBJ_QUOTA, owner, parent, parent ? limit : 0, &o);
    if (e)
        return e;
    struct quota *q = (struct quota *)o;
    q->limit = limit;
    *out = q;
    return E_OK;
}

void quota_kill(struct quota *q)
{
    while (q->objects)
        kobj_kill_cause(q->objects, KOBJ_QUOTA_DIED);
}
