/* Kernel object creation, ownership, death and release (see object.h). Each kind
 * has a slab cache; death and release dispatch on the kind. Deaths and releases
 * go through two work lists drained by the outermost call, so a death that causes
 * deaths (a task owning tasks owning tasks ...) never recurses. */
#include "cap.h"
#include "console.h"
#include "hw.h"
#include "ipc.h"
#include "ktimer.h"
#include "mm.h"
#include "panic.h"
#include "quota.h"
#include "task.h"
#include "thread.h"
#include "dma.h"

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
    [RS_OBJ_TIMER] = { "timer", sizeof(struct ktimer_obj), 1 },
    [RS_OBJ_DMA] = { "dma", sizeof(struct dma_dev), 1 },
};

static struct slab_cache caches[RS_OBJ_COUNT];
static uint64_t next_id = 1;

/* One shared tombstone per kind: what a dead object's capabilities name. */
static struct kobj tombs[RS_OBJ_COUNT];

/* The work lists, and how many callers asked for deaths to wait. */
static struct kobj *kill_head, *kill_tail, *release_head;
static unsigned deferring;

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

/* Intrusive lists: the link at `off` inside each object. */
static struct kobj_link *link_of(struct kobj *o, unsigned long off)
{
    return (struct kobj_link *)((char *)o + off);
}

static void list_add(struct kobj **head, struct kobj *o, unsigned long off)
{
    *link_of(o, off) = (struct kobj_link){ .next = *head, .prev = 0 };
    if (*head)
        link_of(*head, off)->prev = o;
    *head = o;
}

static void list_del(struct kobj **head, struct kobj *o, unsigned long off)
{
    struct kobj_link *l = link_of(o, off);
    if (l->prev)
        link_of(l->prev, off)->next = l->next;
    else
        *head = l->next;
    if (l->next)
        link_of(l->next, off)->prev = l->prev;
    *l = (struct kobj_link){ 0 };
}

#define OWN_LINK __builtin_offsetof(struct kobj, own)
#define CHG_LINK __builtin_offsetof(struct kobj, chg)

void kobj_set_owner(struct kobj *o, struct task *t)
{
    if (o->owner)
        list_del(&o->owner->owned, o, OWN_LINK);
    o->owner = t;
    if (t)
        list_add(&t->owned, o, OWN_LINK);
}

/* Charges o to q (referenced) and lists it there; the bytes are already counted. */
static void charge_to(struct kobj *o, struct quota *q, uint64_t bytes)
{
    o->charged = q;
    o->charge = bytes;
    kobj_ref(&q->obj);
    list_add(&q->objects, o, CHG_LINK);
}

/* Gives o's charge back to its quota now (at death, or before a recharge). */
static void uncharge(struct kobj *o)
{
    struct quota *q = o->charged;
    if (!q)
        return;
    list_del(&q->objects, o, CHG_LINK);
    quota_uncharge(q, o->charge);
    o->charged = 0;
    o->charge = 0;
    kobj_unref(&q->obj);
}

err_t kobj_charge_more(struct kobj *o, uint64_t bytes)
{
    struct quota *q = o->charged;
    if (!q)
        return E_OK;                /* the kernel pays for its own objects */
    err_t e = quota_charge(q, bytes);
    if (!e)
        o->charge += bytes;
    return e;
}

void kobj_charge_less(struct kobj *o, uint64_t bytes)
{
    struct quota *q = o->charged;
    if (!q)
        return;
    kassert(bytes <= o->charge, "object uncharged below zero");
    o->charge -= bytes;
    quota_uncharge(q, bytes);
}

err_t kobj_recharge(struct kobj *o, struct quota *q)
{
    if (o->charged == q)
        return E_OK;
    uint64_t bytes = o->charge;
    if (q->obj.dead || quota_charge(q, bytes))
        return E_QUOTA;
    uncharge(o);
    charge_to(o, q, bytes);
    return E_OK;
}

err_t kobj_create(enum rs_obj_type type, struct task *owner, struct quota *q,
                  uint64_t extra_charge, struct kobj **out)
{
    if (type <= RS_OBJ_NONE || type >= RS_OBJ_COUNT)
        return E_INVAL;
    uint64_t charge = cache_of(type)->obj_size + extra_charge;
    if (charge < extra_charge || (q && (q->obj.dead || quota_charge(q, charge))))
        return E_QUOTA;
    struct kobj *o = slab_alloc(cache_of(type));
    if (!o) {
        if (q)
            quota_uncharge(q, charge);
        return E_NOMEM;
    }
    *o = (struct kobj){ .type = (uint8_t)type, .refs = 1, .id = next_id++ };
    if (q)
        charge_to(o, q, charge);
    if (owner)
        kobj_set_owner(o, owner);
    *out = o;
    return E_OK;
}

err_t kobj_create_cap(enum rs_obj_type type, struct task *owner, struct quota *q,
                      uint64_t extra_charge, struct cspace *cs, uint64_t dst,
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
    case RS_OBJ_QUOTA: quota_kill((struct quota *)o); break;
    case RS_OBJ_TIMER: ktimer_kill((struct ktimer_obj *)o); break;
    case RS_OBJ_DMA: dma_kill((struct dma_dev *)o); break;
    default: break;     /* frames, ports, platform, images: nothing to wake */
    }
}

/* Undoes what capability c did for its object (a mapping, port access). */
static void cap_undo(struct cap *c)
{
    if (c->obj->type == RS_OBJ_FRAME)
        frame_cap_deleted(c);
    else if (c->obj->type == RS_OBJ_IOPORTS)
        ioports_cap_deleted(c);
}

static struct kobj *tomb_of(unsigned type)
{
    struct kobj *t = &tombs[type];
    if (!t->tomb)
        *t = (struct kobj){ .type = (uint8_t)type, .dead = 1, .tomb = 1, .refs = 1 };
    return t;
}

/* Every capability naming o becomes a tombstone; their references go. */
static void entomb_caps(struct kobj *o)
{
    while (o->caps) {
        struct cap *c = o->caps;
        cap_undo(c);
        cap_entomb(c, tomb_of(o->type));
        o->ncaps--;
        kobj_unref(o);
    }
}

static void release(struct kobj *o)
{
    if (o->type == RS_OBJ_FRAME)
        frame_release((struct frame *)o);
    if (o->type == RS_OBJ_THREAD && ((struct thread *)o)->fpu)
        thread_free_fpu((struct thread *)o);
    err_t e = slab_free(cache_of(o->type), o);
    kassert(!e, "object memory not from its cache");
}

/* Runs queued deaths, then queued releases, until both lists are empty. Deaths go
 * first: a dying object's parts (a task's threads) may still point at it. */
static void drain(void)
{
    if (deferring)
        return;
    deferring = 1;
    for (;;) {
        struct kobj *o = kill_head;
        if (o) {
            kill_head = o->work_next;
            if (!kill_head)
                kill_tail = 0;
            o->work_next = 0;
            die(o);
            entomb_caps(o);
            kobj_unref(o);          /* the alive reference */
            kobj_unref(o);          /* the work list's */
        } else if ((o = release_head)) {
            release_head = o->work_next;
            release(o);
        } else {
            break;
        }
    }
    deferring = 0;
}

void kobj_defer_begin(void)
{
    deferring++;
}

void kobj_defer_end(void)
{
    kassert(deferring > 0, "unbalanced defer");
    if (--deferring == 0)
        drain();
}

void kobj_kill_cause(struct kobj *o, enum kobj_cause cause)
{
    if (o->dead)
        return;
    o->dead = 1;
    o->cause = (uint8_t)cause;
    kobj_ref(o);                    /* held while queued */
    kobj_defer_begin();
    kobj_set_owner(o, 0);
    uncharge(o);                    /* the memory is the quota's again, now */
    if (kill_tail)
        kill_tail->work_next = o;
    else
        kill_head = o;
    kill_tail = o;
    kobj_defer_end();
}

void kobj_unref(struct kobj *o)
{
    if (o->tomb)
        return;
    kassert(o->refs > 0, "reference count underflow");
    if (--o->refs)
        return;
    kassert(o->dead, "a live object lost its last reference");
    o->work_next = release_head;
    release_head = o;
    drain();
}

static int dies_now(const struct kobj *o)
{
    if (o->ncaps || !kinds[o->type].dies_with_last_cap || o->dead)
        return 0;
    return o->type != RS_OBJ_QUOTA || !((const struct quota *)o)->users;
}

void kobj_cap_deleted(struct cap *c)
{
    struct kobj *o = c->obj;
    if (o->tomb)
        return;
    cap_undo(c);
    o->ncaps--;
    if (dies_now(o)) {
        struct task *holder = c->cs->task;
        int dying = holder && holder->state == RS_TASK_DEAD;
        kobj_kill_cause(o, dying ? KOBJ_HOLDER_DIED : KOBJ_LAST_CAP);
    }
}

void kobj_quota_user_gone(struct quota *q)
{
    kassert(q->users > 0, "quota user count underflow");
    q->users--;
    if (dies_now(&q->obj))
        kobj_kill_cause(&q->obj, KOBJ_LAST_CAP);
}
