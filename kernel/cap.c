/* Capability spaces, the derivation tree and each object's capability list (see
 * cap.h). */
#include <stddef.h>
#include "cap.h"

void cspace_init(struct cspace *cs, struct cap *slots, uint32_t n, struct task *task)
{
    cs->slots = slots;
    cs->nslots = n;
    cs->task = task;
    for (uint32_t i = 0; i < n; i++)
        slots[i] = (struct cap){ .slot = i, .cs = cs };
}

void cspace_clear(struct cspace *cs)
{
    for (uint32_t i = 0; i < cs->nslots; i++)
        if (cs->slots[i].obj)
            cap_delete(&cs->slots[i]);
}

int cap_type_badgeable(unsigned type)
{
    return type == RS_OBJ_ENDPOINT || type == RS_OBJ_NOTIFICATION;
}

err_t cap_lookup(struct cspace *cs, uint64_t slot, unsigned type, uint32_t rights,
                 struct cap **out)
{
    if (slot >= cs->nslots)
        return E_NOCAP;
    struct cap *c = &cs->slots[slot];
    if (!c->obj)
        return E_NOCAP;
    if (type != RS_OBJ_NONE && c->obj->type != type)
        return E_TYPE;
    if (c->obj->dead)
        return E_CAPFAULT;
    if ((c->rights & rights) != rights)
        return E_RIGHTS;
    *out = c;
    return E_OK;
}

err_t cap_check_empty(struct cspace *cs, uint64_t slot)
{
    if (slot == 0 || slot >= cs->nslots)
        return E_NOCAP;
    return cs->slots[slot].obj ? E_EXISTS : E_OK;
}

static void tree_add_child(struct cap *parent, struct cap *c)
{
    c->parent = parent;
    c->prev = NULL;
    c->next = parent ? parent->children : NULL;
    if (c->next)
        c->next->prev = c;
    if (parent)
        parent->children = c;
}

static void tree_unlink(struct cap *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else if (c->parent)
        c->parent->children = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->parent = c->next = c->prev = NULL;
}

static void objlist_add(struct cap *c)
{
    struct kobj *o = c->obj;
    c->oprev = NULL;
    c->onext = o->caps;
    if (o->caps)
        o->caps->oprev = c;
    o->caps = c;
}

static void objlist_unlink(struct cap *c)
{
    if (c->oprev)
        c->oprev->onext = c->onext;
    else if (c->obj->caps == c)
        c->obj->caps = c->onext;
    if (c->onext)
        c->onext->oprev = c->oprev;
    c->onext = c->oprev = NULL;
}

err_t cap_install(struct cspace *cs, uint64_t slot, struct kobj *o, uint32_t rights,
                  uint64_t badge)
{
    err_t e = cap_check_empty(cs, slot);
    if (e)
        return e;
    struct cap *c = &cs->slots[slot];
    kobj_ref(o);
    o->ncaps++;
    *c = (struct cap){ .obj = o, .badge = badge, .obj_id = o->id,
                       .rights = rights & RS_RIGHTS_ALL, .slot = (uint32_t)slot, .cs = cs };
    objlist_add(c);
    return E_OK;
}

err_t cap_derive(struct cap *src, struct cspace *dst_cs, uint64_t dst_slot,
                 uint64_t rights, uint64_t badge)
{
    if (!src->obj)
        return E_NOCAP;
    if (src->obj->dead)
        return E_CAPFAULT;
    if (rights & ~(uint64_t)RS_RIGHTS_ALL)
        return E_INVAL;             /* undefined bits: refused, never truncated */
    if (rights & ~(uint64_t)src->rights)
        return E_RIGHTS;
    if (badge != src->badge && (src->badge || !cap_type_badgeable(src->obj->type)))
        return E_INVAL;
    err_t e = cap_install(dst_cs, dst_slot, src->obj, (uint32_t)rights, badge);
    if (e)
        return e;
    tree_add_child(src, &dst_cs->slots[dst_slot]);
    return E_OK;
}

/* Points everything that referred to the old place of `to` at it (after a move). */
static void relink_moved(struct cap *from, struct cap *to)
{
    if (to->prev)
        to->prev->next = to;
    else if (to->parent)
        to->parent->children = to;
    if (to->next)
        to->next->prev = to;
    for (struct cap *ch = to->children; ch; ch = ch->next)
        ch->parent = to;
    if (to->oprev)
        to->oprev->onext = to;
    else if (to->obj->caps == from)
        to->obj->caps = to;
    if (to->onext)
        to->onext->oprev = to;
}

err_t cap_move(struct cspace *cs, uint64_t src, uint64_t dst)
{
    if (src >= cs->nslots || !cs->slots[src].obj)
        return E_NOCAP;
    err_t e = cap_check_empty(cs, dst);
    if (e)
        return e;
    struct cap *from = &cs->slots[src], *to = &cs->slots[dst];
    *to = *from;
    to->slot = (uint32_t)dst;
    relink_moved(from, to);
    *from = (struct cap){ .slot = (uint32_t)src, .cs = cs };
    return E_OK;
}

void cap_delete(struct cap *c)
{
    struct kobj *o = c->obj;
    if (!o)
        return;
    objlist_unlink(c);
    kobj_cap_deleted(c);
    struct cap *parent = c->parent;
    while (c->children) {           /* children move up to our parent */
        struct cap *ch = c->children;
        tree_unlink(ch);
        tree_add_child(parent, ch);
    }
    tree_unlink(c);
    struct frame *session = c->session;
    *c = (struct cap){ .slot = c->slot, .cs = c->cs };
    if (session)
        cap_session_dropped(session);
    kobj_unref(o);
}

int cap_revoke(struct cap *c, unsigned budget)
{
    struct cap *d = c;
    for (unsigned n = 0; c->children && n < budget; n++) {
        while (d->children)         /* down to a leaf: no re-parenting work */
            d = d->children;
        struct cap *up = d->parent;
        cap_delete(d);
        d = up;                     /* its siblings, if any, are next */
    }
    return c->children != NULL;
}

void cap_entomb(struct cap *c, struct kobj *tomb)
{
    objlist_unlink(c);
    c->obj = tomb;
}
