/* Kernel object creation, reference counting and death (see object.h). Each kind
 * has a slab cache; death and release dispatch on the kind through tables. */
#include "cap.h"
#include "console.h"
#include "hw.h"
#include "ipc.h"
#include "mm.h"
#include "panic.h"
#include "quota.h"
#include "task.h"
#include "thread.h"

static const struct {
    const char *name;
    uint32_t size;
    uint8_t dies_with_last_cap;
} kinds[RS_OBJ_COUNT] = {
    [RS_OBJ_NONE] = { "none", 0, 0 },
    [RS_OBJ_TASK] = { "task", sizeof(struct task), 0 },
    [RS_OBJ_THREAD] = { "thread", sizeof(struct thread), 0 },
    [RS_OBJ_ENDPOINT] = { "endpoint", sizeof(struct endpoint), 1 },
    [RS_OBJ_REPLY] = { "reply", sizeof(struct reply), 1 },
    [RS_OBJ_NOTIFICATION] = { "notification", sizeof(struct notification), 1 },
    [RS_OBJ_IRQ] = { "irq", sizeof(struct irq), 1 },
    [RS_OBJ_IOPORTS] = { "ioports", sizeof(struct ioports), 1 },
    [RS_OBJ_FRAME] = { "frame", sizeof(struct frame), 1 },
    [RS_OBJ_QUOTA] = { "quota", sizeof(struct quota), 1 },
    [RS_OBJ_PLATFORM] = { "platform", sizeof(struct platform), 1 },
    [RS_OBJ_IMAGE] = { "image", sizeof(struct image), 1 },
};

static struct slab_cache caches[RS_OBJ_COUNT];
static uint32_t next_id = 1;

const char *kobj_type_name(unsigned type)
{
    return type < RS_OBJ_COUNT ? kinds[type].name : "unknown";
}

static struct slab_cache *cache_of(unsigned type)
{
    struct slab_cache *c = &caches[type];
    if (!c->obj_size && slab_cache_init(c, kinds[type].name, kinds[type].size,
                                        &mm_slab_source))
        panic("kobj: object kind %s does not fit a slab", kinds[type].name);
    return c;
}

err_t kobj_create(enum rs_obj_type type, struct task *owner, struct quota *q,
                  uint32_t extra_charge, struct kobj **out)
{
    if (type <= RS_OBJ_NONE || type >= RS_OBJ_COUNT)
        return E_INVAL;
    uint32_t charge = (uint32_t)cache_of(type)->obj_size + extra_charge;
    if (q && (q->obj.dead || quota_charge(q, charge)))
        return E_QUOTA;
    struct kobj *o = slab_alloc(cache_of(type));
    if (!o) {
        if (q)
            quota_uncharge(q, charge);
        return E_NOMEM;
    }
    *o = (struct kobj){ .type = (uint8_t)type, .refs = 1, .charged = q,
                        .charge = q ? charge : 0, .id = next_id++ };
    if (q)
        kobj_ref(&q->obj);
    if (owner)
        task_own(owner, o);
    *out = o;
    return E_OK;
}

err_t kobj_create_cap(enum rs_obj_type type, struct task *owner, struct quota *q,
                      uint32_t extra_charge, struct cspace *cs, uint64_t dst,
                      uint32_t rights, struct kobj **out)
{
    err_t e = cap_check_empty(cs, dst);
    if (!e)
        e = kobj_create(type, owner, q, extra_charge, out);
    if (!e)
        cap_install(cs, dst, *out, rights, 0);
    return e;
}

static void die(struct kobj *o)
{
    switch (o->type) {
    case RS_OBJ_TASK: task_kill((struct task *)o); break;
    case RS_OBJ_THREAD: thread_kill((struct thread *)o); break;
    case RS_OBJ_ENDPOINT: endpoint_kill((struct endpoint *)o); break;
    case RS_OBJ_REPLY: reply_kill((struct reply *)o); break;
    case RS_OBJ_NOTIFICATION: notification_kill((struct notification *)o); break;
    case RS_OBJ_IRQ: irq_kill((struct irq *)o); break;
    case RS_OBJ_IOPORTS: ioports_kill((struct ioports *)o); break;
    default: break;     /* frames, ports, quotas, platform: nothing to wake */
    }
}

void kobj_kill(struct kobj *o)
{
    if (o->dead)
        return;
    o->dead = 1;
    kobj_ref(o);                    /* hold it while the death action runs */
    if (o->owner)
        task_disown(o);             /* first: the owner may be dying and walk its list */
    die(o);
    kobj_unref(o);                  /* the alive reference */
    kobj_unref(o);
}

static void release(struct kobj *o)
{
    if (o->type == RS_OBJ_FRAME)
        frame_release((struct frame *)o);
    if (o->type == RS_OBJ_THREAD && ((struct thread *)o)->fpu)
        thread_free_fpu((struct thread *)o);
    if (o->type == RS_OBJ_QUOTA && ((struct quota *)o)->parent) {
        struct quota *q = (struct quota *)o;
        quota_uncharge(q->parent, q->limit);
        kobj_unref(&q->parent->obj);
    }
    struct quota *charged = o->charged;
    if (charged)
        quota_uncharge(charged, o->charge);
    err_t e = slab_free(cache_of(o->type), o);
    kassert(!e, "object memory not from its cache");
    if (charged)
        kobj_unref(&charged->obj);
}

void kobj_unref(struct kobj *o)
{
    kassert(o->refs > 0, "reference count underflow");
    if (--o->refs == 0)
        release(o);
}

void kobj_cap_deleted(struct cap *c)
{
    struct kobj *o = c->obj;
    if (o->type == RS_OBJ_FRAME)
        frame_cap_deleted(c);
    else if (o->type == RS_OBJ_IOPORTS)
        ioports_cap_deleted(c);
    if (--o->ncaps == 0 && kinds[o->type].dies_with_last_cap && !o->dead)
        kobj_kill(o);
}
