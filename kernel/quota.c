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
    if (parent) {
        err_t e = quota_charge(parent, limit);
        if (e)
            return e;
    }
    struct kobj *o;
    err_t e = kobj_create(RS_OBJ_QUOTA, owner, parent, 0, &o);
    if (e) {
        if (parent)
            quota_uncharge(parent, limit);
        return e;
    }
    struct quota *q = (struct quota *)o;
    q->limit = limit;
    q->parent = parent;
    if (parent)
        kobj_ref(&parent->obj);
    *out = q;
    return E_OK;
}
