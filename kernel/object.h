/* Kernel objects: the common header every capability-reachable object starts with,
 * reference counting, ownership and death. Lifetime rules:
 *  - an object holds one "alive" reference from creation until it is killed, plus
 *    one per capability and per kernel pointer;
 *  - it is charged to a quota (its memory, and for a quota its whole limit) and
 *    dies with that quota; it may also be owned by a task and die with it;
 *  - all kinds but task and thread also die with their last capability (a quota
 *    only when no live task uses it as its own quota either);
 *  - death is immediate and complete: the death action runs, every capability
 *    naming the object becomes a tombstone (its slot keeps the kind and the id, so
 *    invoking it is a capability fault, but no memory is pinned), and the charge
 *    goes back to the quota; the object's own bytes are freed once no kernel
 *    pointer holds it (a bounded number: each live object holds a few);
 *  - death and release are iterative (work lists): no kernel stack grows with a
 *    hierarchy, however deep a user builds it. */
#pragma once
#include <stdint.h>
#include "err.h"
#include "uapi/resurgo/resurgo.h"

struct task;
struct quota;
struct cap;
struct cspace;

struct kobj;
struct kobj_link {
    struct kobj *next, *prev;
};

/* Why an object died: the death action of some kinds tells its waiters. */
enum kobj_cause {
    KOBJ_KILLED = 1,            /* destroyed explicitly */
    KOBJ_OWNER_DIED,            /* its owner task died */
    KOBJ_QUOTA_DIED,            /* the quota it is charged to died */
    KOBJ_LAST_CAP,              /* its last capability was deleted */
    KOBJ_HOLDER_DIED,           /* its last capability went with its holder's death */
};

struct kobj {
    uint8_t type;               /* RS_OBJ_* */
    uint8_t dead;
    uint8_t tomb;               /* one of the shared tombstones (never freed) */
    uint8_t cause;              /* enum kobj_cause, once dead */
    uint32_t refs;
    uint32_t ncaps;             /* capabilities naming it (maintained by cap.c) */
    uint64_t id;                /* unique, never reused; increasing with creation */
    struct cap *caps;           /* every capability naming it (cap.c) */
    struct task *owner;         /* whose death kills this object; NULL: nobody's */
    struct kobj_link own;       /* in owner->owned */
    struct quota *charged;      /* pays for it (referenced); NULL: the kernel */
    struct kobj_link chg;       /* in charged->objects */
    uint64_t charge;            /* bytes charged */
    struct kobj *work_next;     /* on the kill or the release work list */
};

/* Creates an object of `type` owned by `owner` (may be NULL), charging its size
 * plus `extra_charge` bytes to quota q (may be NULL for kernel-internal objects).
 * Returns it with refs = 1 (the alive reference); E_QUOTA or E_NOMEM on failure. */
err_t kobj_create(enum rs_obj_type type, struct task *owner, struct quota *q,
                  uint64_t extra_charge, struct kobj **out);

/* As kobj_create, then installs a capability to the new object with `rights` in
 * the empty slot dst of cs (E_NOCAP/E_EXISTS before anything is created). */
err_t kobj_create_cap(enum rs_obj_type type, struct task *owner, struct quota *q,
                      uint64_t extra_charge, struct cspace *cs, uint64_t dst,
                      uint32_t rights, struct kobj **out);

static inline void kobj_ref(struct kobj *o)
{
    o->refs++;
}

/* Drops a reference; at zero the object's memory is freed (after the deaths in
 * progress, if any). Tombstones ignore it. */
void kobj_unref(struct kobj *o);

/* Kills the object (idempotent) for `cause`: it stops being anyone's, its charge
 * goes back at once, its death action runs (wake waiters, release hardware, kill
 * what it owns), its capabilities become tombstones. Everything this leads to has
 * happened when the outermost call returns. */
void kobj_kill_cause(struct kobj *o, enum kobj_cause cause);
static inline void kobj_kill(struct kobj *o)
{
    kobj_kill_cause(o, KOBJ_KILLED);
}

/* Between these, kills and releases are queued instead of run (for code that
 * walks a structure those could change, like revoke); the end runs them. Nest. */
void kobj_defer_begin(void);
void kobj_defer_end(void);

/* Name of a kind, e.g. "endpoint". */
const char *kobj_type_name(unsigned type);

/* Makes o owned by task t (NULL: by nobody), leaving any earlier owner. */
void kobj_set_owner(struct kobj *o, struct task *t);

/* Moves o's charge to quota q (E_QUOTA when it does not fit; nothing changes). */
err_t kobj_recharge(struct kobj *o, struct quota *q);
/* Charges `bytes` more to the quota paying for o (E_QUOTA: nothing changes), or
 * gives back `bytes` charged that way before. */
err_t kobj_charge_more(struct kobj *o, uint64_t bytes);
void kobj_charge_less(struct kobj *o, uint64_t bytes);

/* Called by cap.c when a capability is deleted, after it left the object's
 * capability list and before it is cleared: undoes what the capability did (a
 * frame mapping, I/O port access), counts it off and kills the object if that was
 * its last capability and its kind dies with it. The caller still holds the
 * capability's reference. */
void kobj_cap_deleted(struct cap *cap);

/* A task stopped using q as its own quota: q dies if no capability names it. */
void kobj_quota_user_gone(struct quota *q);
