/* Kernel objects: the common header every capability-reachable object starts with,
 * reference counting and death. Lifetime rules:
 *  - an object holds one "alive" reference from creation until it is killed, plus
 *    one per capability and per transient kernel reference;
 *  - it is killed when its owner task dies, when it is destroyed explicitly, or
 *    (all kinds but task and thread) when its last capability is deleted;
 *  - a killed object is `dead`: invoking a capability to it is a capability fault;
 *  - its memory is freed when the last reference goes. */
#pragma once
#include <stdint.h>
#include "err.h"
#include "uapi/resurgo/resurgo.h"

struct task;
struct quota;

struct kobj {
    uint8_t type;               /* RS_OBJ_* */
    uint8_t dead;
    uint16_t reserved;
    uint32_t refs;
    uint32_t ncaps;             /* capabilities naming it (maintained by cap.c) */
    struct task *owner;         /* whose death kills this object; NULL: nobody's */
    struct kobj *owner_next, *owner_prev;
    struct quota *charged;      /* quota its memory is charged to (referenced) */
    uint32_t charge;            /* bytes charged */
    uint32_t id;                /* unique, for logs */
};

/* Creates an object of `type` owned by `owner` (may be NULL), charging its size
 * plus `extra_charge` bytes to quota q (may be NULL for kernel-internal objects).
 * Returns it with refs = 1 (the alive reference); E_QUOTA or E_NOMEM on failure. */
err_t kobj_create(enum rs_obj_type type, struct task *owner, struct quota *q,
                  uint32_t extra_charge, struct kobj **out);

/* As kobj_create, then installs a capability to the new object with `rights` in
 * the empty slot dst of cs (E_NOCAP/E_EXISTS before anything is created). */
struct cspace;
err_t kobj_create_cap(enum rs_obj_type type, struct task *owner, struct quota *q,
                      uint32_t extra_charge, struct cspace *cs, uint64_t dst,
                      uint32_t rights, struct kobj **out);

static inline void kobj_ref(struct kobj *o)
{
    o->refs++;
}

/* Drops a reference. Kills the object when only the alive reference is left and
 * its kind dies with its last capability; frees it at zero. */
void kobj_unref(struct kobj *o);

/* Kills the object (idempotent): runs its kind's death action (wake waiters,
 * release hardware, ...), unlinks it from its owner, drops the alive reference. */
void kobj_kill(struct kobj *o);

/* Name of a kind, e.g. "endpoint". */
const char *kobj_type_name(unsigned type);

/* Called by the capability layer when a capability is deleted, before it is
 * cleared: undoes what the capability did (a frame mapping, I/O port access),
 * counts it off and kills the object if that was its last capability and its kind
 * dies with it. The caller still holds the capability's reference. */
struct cap;
void kobj_cap_deleted(struct cap *cap);
