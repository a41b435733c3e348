/* Capability spaces and the capability derivation tree. A capability is a slot in
 * a task's cspace naming an object with rights and a badge. Every copy, mint or
 * transfer makes the new capability a child of its source, so revoke can find and
 * delete everything derived. Every object also lists the capabilities naming it,
 * so its death can turn them into tombstones. Pure apart from kobj_ref/kobj_unref/
 * kobj_cap_deleted: host unit tests provide their own. All operations check first,
 * then commit. */
#pragma once
#include <stdint.h>
#include "err.h"
#include "object.h"

struct cspace;

struct cap {
    struct kobj *obj;           /* NULL: empty slot; a tombstone when obj->tomb */
    uint64_t badge;
    uint64_t obj_id;            /* the object's id (kept in a tombstone) */
    uint32_t rights;            /* RS_RIGHT_* */
    uint32_t slot;
    struct cspace *cs;
    struct cap *parent, *children, *next, *prev;    /* derivation tree */
    struct cap *onext, *oprev;  /* the object's list of capabilities */
    uint64_t mapped_at;         /* frames: user address this capability maps, or 0;
                                   ioports: 1 when enabled */
    uint32_t map_mode;          /* frames: RS_MAP_* of that mapping */
    struct frame *session;      /* endpoints: the session region calls through this
                                   capability carry (session.h), or NULL; kept by a
                                   tombstone, not copied to derived capabilities */
};

struct cspace {
    struct cap *slots;
    uint32_t nslots;
    struct task *task;          /* owner, for the on-delete hooks */
};

/* Makes an empty cspace over caller-provided storage for n slots. */
void cspace_init(struct cspace *cs, struct cap *slots, uint32_t n, struct task *task);

/* Deletes every capability in cs (children survive, re-parented). */
void cspace_clear(struct cspace *cs);

/* The capability in slot, checked: E_NOCAP (empty or out of range), E_TYPE
 * (type != RS_OBJ_NONE and the object differs), E_CAPFAULT (object dead),
 * E_RIGHTS (missing any of `rights`). */
err_t cap_lookup(struct cspace *cs, uint64_t slot, unsigned type, uint32_t rights,
                 struct cap **out);

/* Whether slot is a valid, empty slot: E_OK, E_NOCAP (out of range or slot 0),
 * E_EXISTS (occupied, by a live capability or a tombstone). */
err_t cap_check_empty(struct cspace *cs, uint64_t slot);

/* Installs an original capability (no parent) to o in an empty slot; takes a
 * reference on o. */
err_t cap_install(struct cspace *cs, uint64_t slot, struct kobj *o, uint32_t rights,
                  uint64_t badge);

/* Derives a child of src into (dst_cs, dst_slot) with `rights` (E_INVAL for bits
 * beyond RS_RIGHTS_ALL, E_RIGHTS for a right src lacks) and `badge` (E_INVAL if src
 * is already badged with another value, or the kind takes no badge); E_CAPFAULT
 * for a tombstone. Used for copy, mint, transfer and giving caps. */
err_t cap_derive(struct cap *src, struct cspace *dst_cs, uint64_t dst_slot,
                 uint64_t rights, uint64_t badge);

/* Moves the capability in src to the empty slot dst of the same cspace. */
err_t cap_move(struct cspace *cs, uint64_t src, uint64_t dst);

/* Deletes the capability (its children are re-parented to its parent); its
 * session region, if any, goes to cap_session_dropped. */
void cap_delete(struct cap *c);

/* Provided by the kernel (session.c), by the unit tests otherwise. */
void cap_session_dropped(struct frame *f);

/* Deletes at most `budget` capabilities derived from c, leaves first, in time
 * proportional to what it deletes; c stays. Returns 1 while more remain (call
 * again), 0 when none is left. The caller keeps deaths deferred meanwhile
 * (kobj_defer_begin), so the tree changes only by these deletions. */
int cap_revoke(struct cap *c, unsigned budget);

/* Turns c (naming a dying object) into a tombstone naming `tomb`: it leaves the
 * object's list, keeps its slot, rights, badge, id and place in the derivation
 * tree. The caller undoes the capability's effects and drops its reference. */
void cap_entomb(struct cap *c, struct kobj *tomb);

/* Whether kind accepts badges (endpoints and notifications). */
int cap_type_badgeable(unsigned type);
