/* RS_SYS_INVOKE: operations on kernel objects, dispatched by the object's kind.
 * Each operation decodes and checks its arguments, then commits. */
#include "boot.h"
#include "console.h"
#include "debug.h"
#include "hw.h"
#include "dma.h"
#include "ktimer.h"
#include "ipc.h"
#include "modules.h"
#include "quota.h"
#include "sched.h"
#include "session.h"
#include "syscall.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86_64/poweroff.h"

/* A table index from a user word: out-of-range values map to an invalid index. */
static unsigned index_arg(uint64_t v)
{
    return v > 0xFFFF ? ~0u : (unsigned)v;
}

static err_t need_manage(const struct cap *c)
{
    return (c->rights & RS_RIGHT_MANAGE) ? E_OK : E_RIGHTS;
}

static err_t quota_new_object(struct thread *th, struct quota *q)
{
    struct cspace *cs = &th->task->cspace;
    uint64_t kind = SYS_A0(th), dst = SYS_A1(th), size = SYS_A2(th);
    err_t e = cap_check_empty(cs, dst);
    if (e)
        return e;
    struct kobj *o;
    switch (kind) {
    case RS_OBJ_ENDPOINT:
    case RS_OBJ_NOTIFICATION:
        return kobj_create_cap((enum rs_obj_type)kind, th->task, q, 0, cs, dst,
                               RS_RIGHT_READ | RS_RIGHT_WRITE | RS_RIGHT_GRANT, &o);
    case RS_OBJ_TIMER:
        return kobj_create_cap(RS_OBJ_TIMER, th->task, q, 0, cs, dst, RS_RIGHT_MANAGE, &o);
    case RS_OBJ_FRAME:
        return frame_create(q, th->task, size, cs, dst);
    case RS_OBJ_TASK: {             /* a capability store */
        struct task *t;
        e = task_create("capability store", q, th->task, &t);
        if (!e) {
            t->store_only = 1;      /* nothing of its own: take_cap gives out only */
            cap_delete(&t->cspace.slots[RS_SLOT_TASK]);     /* what was put in it */
            cap_delete(&t->cspace.slots[RS_SLOT_QUOTA]);
            cap_install(cs, dst, &t->obj, RS_RIGHT_READ | RS_RIGHT_MANAGE | RS_RIGHT_SUPERVISE,
                        0);
        }
        return e;
    }
    case RS_OBJ_QUOTA: {
        struct quota *child;
        e = quota_create(q, th->task, size, &child);
        if (!e)
            cap_install(cs, dst, &child->obj, RS_RIGHTS_ALL, 0);
        return e;
    }
    default:
        return E_TYPE;
    }
}

/* The object in slot A0 that th's task may hand to a new owner `to`: one it owns
 * (never a thread: threads belong to their task), newer than `to`. Ownership then
 * always points from older to newer objects, so it can never form a cycle. */
static err_t adoptable(struct thread *th, const struct kobj *to, struct kobj **out)
{
    struct cap *c;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_NONE, 0, &c);
    if (e)
        return e;
    struct kobj *o = c->obj;
    if (o->owner != th->task)
        return E_RIGHTS;
    if (o->type == RS_OBJ_THREAD)
        return E_TYPE;
    if (o->id <= to->id)
        return E_INVAL;
    *out = o;
    return E_OK;
}

static err_t quota_adopt(struct thread *th, struct quota *q)
{
    struct kobj *o;
    err_t e = adoptable(th, &q->obj, &o);
    if (!e)
        e = kobj_recharge(o, q);
    if (!e)
        kobj_set_owner(o, 0);
    return e;
}

static err_t quota_op(struct thread *th, struct quota *q, uint64_t op)
{
    switch (op) {
    case RS_OP_QUOTA_CREATE: return quota_new_object(th, q);
    case RS_OP_QUOTA_CREATE_DMA:
        return frame_create_dma(q, th->task, SYS_A1(th), &th->task->cspace, SYS_A0(th));
    case RS_OP_QUOTA_INFO:
        SYS_A0(th) = q->limit;
        SYS_A1(th) = q->used;
        return E_OK;
    case RS_OP_QUOTA_ADOPT: return quota_adopt(th, q);
    case RS_OP_QUOTA_DESTROY:
        if (q->users)
            return E_BUSY;          /* a live task's own quota: destroy the task */
        kobj_kill(&q->obj);
        return E_OK;
    default: return E_NOSYS;
    }
}

static void quota_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    err_t e = need_manage(c);
    kobj_ref(&th->obj);             /* destroying a quota can end th */
    if (!e)
        e = quota_op(th, (struct quota *)c->obj, op);
    if (e != E_CAPFAULT && th->state != TH_DEAD)
        sys_result(th, e);
    kobj_unref(&th->obj);
}

/* The notices' badge is the endpoint capability's own (minted by whoever made
 * it), never a register value: a task cannot make its notices look like another's. */
static err_t task_set_supervisor(struct thread *th, struct task *t)
{
    struct cap *ep;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_ENDPOINT, RS_RIGHT_WRITE, &ep);
    if (e)
        return e;
    if (t->supervisor)
        kobj_unref(&t->supervisor->obj);
    t->supervisor = (struct endpoint *)ep->obj;
    kobj_ref(ep->obj);
    t->supervisor_badge = ep->badge;
    return E_OK;
}

static err_t task_give_cap(struct thread *th, struct task *t)
{
    struct cap *src;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_NONE, 0, &src);
    if (!e)
        e = cap_derive(src, &t->cspace, SYS_A1(th), SYS_A2(th), SYS_A3(th));
    return e;
}

/* take_cap: a capability derived from t's slot A0 into the caller's slot A1. */
static err_t task_take_cap(struct thread *th, struct task *t)
{
    uint64_t src = SYS_A0(th);
    if (!t->store_only)
        return E_TYPE;              /* only a capability store gives out its own */
    if (src >= t->cspace.nslots)
        return E_NOCAP;
    return cap_derive(&t->cspace.slots[src], &th->task->cspace, SYS_A1(th), SYS_A2(th),
                      SYS_A3(th));
}

static err_t task_drop_cap(struct thread *th, struct task *t)
{
    uint64_t slot = SYS_A0(th);
    if (!t->store_only)
        return E_TYPE;
    if (slot >= t->cspace.nslots || !t->cspace.slots[slot].obj)
        return E_NOCAP;
    cap_delete(&t->cspace.slots[slot]);
    return E_OK;
}

static err_t task_new_thread(struct thread *th, struct task *t)
{
    struct cspace *cs = &th->task->cspace;
    uint64_t prio = SYS_A2(th), dst = SYS_A3(th);
    if (t->store_only)
        return E_TYPE;              /* a capability store runs nothing */
    err_t e = cap_check_empty(cs, dst);
    if (!e && prio > th->prio)
        e = E_RIGHTS;               /* nobody creates a thread above itself */
    struct thread *nt;
    if (!e)
        e = thread_create(t, SYS_A0(th), SYS_A1(th), SYS_A4(th), (unsigned)prio, &nt);
    if (!e)
        cap_install(cs, dst, &nt->obj, RS_RIGHTS_ALL, 0);
    return e;
}

static void task_info(struct thread *th, struct task *t)
{
    uint64_t name[4] = { 0 };
    __builtin_memcpy(name, t->name, sizeof name < sizeof t->name ? sizeof name : sizeof t->name);
    SYS_A0(th) = t->tid;
    SYS_A1(th) = t->state == TASK_EXITING ? RS_TASK_DEAD : t->state;
    SYS_A2(th) = name[0], SYS_A3(th) = name[1], SYS_A4(th) = name[2], SYS_A5(th) = name[3];
}

static void task_resume(struct task *t)
{
    for (struct thread *x = t->threads; x; x = x->task_next) {
        if (x->kmsg_pending) {      /* withdraw the unanswered fault notice */
            thread_unblock_all(x);
            x->kmsg_pending = 0;
            x->state = TH_SUSPENDED;
        }
    }
    task_resume_threads(t);
}

/* The right each task operation needs (objects.h); 0: no such operation. */
static uint32_t task_op_right(uint64_t op)
{
    switch (op) {
    case RS_OP_TASK_INFO: case RS_OP_TASK_ACTIVITY: return RS_RIGHT_READ;
    case RS_OP_TASK_START: case RS_OP_TASK_GIVE_CAP: case RS_OP_TASK_THREAD_CREATE:
    case RS_OP_TASK_ADOPT: case RS_OP_TASK_SESSION_WINDOW:
    case RS_OP_TASK_TAKE_CAP: case RS_OP_TASK_DROP_CAP:
        return RS_RIGHT_MANAGE;
    case RS_OP_TASK_DESTROY: case RS_OP_TASK_SET_SUPERVISOR: case RS_OP_TASK_RESUME:
        return RS_RIGHT_SUPERVISE;
    default: return debug_is_op(op) ? RS_RIGHT_DEBUG : 0;
    }
}

static err_t task_op(struct thread *th, struct task *t, uint64_t op)
{
    switch (op) {
    case RS_OP_TASK_START:
        if (t->state != RS_TASK_NEW && t->state != RS_TASK_RUNNING)
            return E_BUSY;
        task_start(t);
        return E_OK;
    case RS_OP_TASK_DESTROY: kobj_kill(&t->obj); return E_OK;
    case RS_OP_TASK_SET_SUPERVISOR: return task_set_supervisor(th, t);
    case RS_OP_TASK_GIVE_CAP: return task_give_cap(th, t);
    case RS_OP_TASK_THREAD_CREATE: return task_new_thread(th, t);
    case RS_OP_TASK_INFO: task_info(th, t); return E_OK;
    case RS_OP_TASK_ACTIVITY: SYS_A0(th) = t->receives; return E_OK;
    case RS_OP_TASK_RESUME:
        if (t->state != RS_TASK_FAULTED)
            return E_BUSY;
        task_resume(t);
        return E_OK;
    case RS_OP_TASK_ADOPT: {
        struct kobj *o;
        err_t e = adoptable(th, &t->obj, &o);
        if (!e)
            kobj_set_owner(o, t);
        return e;
    }
    case RS_OP_TASK_SESSION_WINDOW: return session_window_create(t);
    case RS_OP_TASK_TAKE_CAP: return task_take_cap(th, t);
    case RS_OP_TASK_DROP_CAP: return task_drop_cap(th, t);
    default: return debug_op(th, t, op);
    }
}

static void task_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    uint32_t need = task_op_right(op);
    err_t e = !need ? E_NOSYS : (c->rights & need) != need ? E_RIGHTS : E_OK;
    kobj_ref(&th->obj);             /* th may die here (a task destroying itself) */
    if (!e)
        e = task_op(th, (struct task *)c->obj, op);
    if (e != E_CAPFAULT)
        sys_result(th, e);
    kobj_unref(&th->obj);
}

static err_t thread_set_priority(struct thread *th, struct thread *t)
{
    if (SYS_A0(th) > th->prio)
        return E_RIGHTS;
    int queued = t->state == TH_RUNNABLE && t != sched_current;
    if (queued)
        sched_dequeue(t);
    t->prio = (uint8_t)SYS_A0(th);
    if (queued)
        sched_enqueue(t);
    return E_OK;
}

static err_t thread_bind(struct thread *th, struct thread *t)
{
    struct cap *n;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_NOTIFICATION, RS_RIGHT_READ, &n);
    return e ? e : notify_bind((struct notification *)n->obj, t);
}

static void thread_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct thread *t = (struct thread *)c->obj;
    err_t e = need_manage(c);
    if (!e && op == RS_OP_THREAD_SET_PRIORITY)
        e = thread_set_priority(th, t);
    else if (!e && op == RS_OP_THREAD_BIND_NOTIFICATION)
        e = thread_bind(th, t);
    else if (!e)
        e = E_NOSYS;
    if (e != E_CAPFAULT)
        sys_result(th, e);
}

static err_t platform_image(struct thread *th)
{
    struct kobj *o;
    unsigned index = index_arg(SYS_A0(th));
    if (!module_at(index))
        return E_RANGE;
    err_t e = kobj_create_cap(RS_OBJ_IMAGE, th->task, th->task->quota, 0, &th->task->cspace,
                              SYS_A1(th), RS_RIGHT_MANAGE | RS_RIGHT_READ, &o);
    if (!e)
        ((struct image *)o)->module = index;
    return e;
}

/* The spawner's argument string (args_len > 0) into buf, checked: E_RANGE when
 * longer than BOOT_ARGS_MAX, E_FAULT when unreadable. */
static err_t spawn_args(struct thread *th, char *buf, const char **out)
{
    uint64_t len = SYS_A5(th);
    *out = 0;
    if (!len)
        return E_OK;
    if (len > BOOT_ARGS_MAX)
        return E_RANGE;
    err_t e = user_read(th->task, SYS_A4(th), buf, len);
    buf[len] = '\0';
    if (!e)
        *out = buf;
    return e;
}

static err_t image_spawn(struct thread *th, struct image *img)
{
    struct cap *qc;
    char buf[BOOT_ARGS_MAX + 1];
    const char *args;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_QUOTA, RS_RIGHT_MANAGE, &qc);
    if (!e && SYS_A3(th) > th->prio)
        e = E_RIGHTS;               /* nobody spawns a task above itself */
    if (!e)
        e = spawn_args(th, buf, &args);
    struct task *t;
    if (!e)
        e = boot_spawn(img->module, (struct quota *)qc->obj, SYS_A1(th), (unsigned)SYS_A3(th),
                       args, th->task, &th->task->cspace, SYS_A2(th), &t);
    if (!e)
        SYS_A0(th) = t->tid;
    return e;
}

#define IMAGE_READ_MAX 4096

/* Copies part of the module's bytes to the caller (a script, a data file). */
static err_t image_read(struct thread *th, struct image *img)
{
    const struct module *m = module_at(img->module);
    uint64_t off = SYS_A0(th), len = SYS_A1(th);
    if (len > IMAGE_READ_MAX)
        return E_RANGE;
    uint64_t n = off >= m->size ? 0 : m->size - off < len ? m->size - off : len;
    err_t e = n ? user_write(th->task, SYS_A2(th), (const uint8_t *)m->data + off, n) : E_OK;
    if (!e)
        SYS_A0(th) = n;
    return e;
}

static void image_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct image *img = (struct image *)c->obj;
    uint32_t need = op == RS_OP_IMAGE_SPAWN ? RS_RIGHT_MANAGE : RS_RIGHT_READ;
    err_t e = (c->rights & need) == need ? E_OK : E_RIGHTS;
    if (!e && op == RS_OP_IMAGE_SPAWN) {
        e = image_spawn(th, img);
    } else if (!e && op == RS_OP_IMAGE_INFO) {
        const struct module *m = module_at(img->module);
        uint64_t name[4] = { 0 };
        __builtin_memcpy(name, m->name, sizeof name);   /* its first 31 bytes, NUL-ended */
        name[3] &= ~(0xFFull << 56);
        SYS_A0(th) = img->module;
        SYS_A1(th) = m->size;
        SYS_A2(th) = name[0], SYS_A3(th) = name[1], SYS_A4(th) = name[2], SYS_A5(th) = name[3];
    } else if (!e && op == RS_OP_IMAGE_READ) {
        e = image_read(th, img);
    } else if (!e) {
        e = E_NOSYS;
    }
    if (e != E_CAPFAULT)
        sys_result(th, e);
}

static err_t platform_module(struct thread *th)
{
    const struct module *m = module_at(index_arg(SYS_A0(th)));
    if (!m)
        return E_RANGE;
    uint64_t name[4] = { 0 };
    __builtin_memcpy(name, m->name, sizeof name);
    SYS_A1(th) = m->kind == MODULE_BAD ? 0 : m->size;
    SYS_A2(th) = name[0], SYS_A3(th) = name[1], SYS_A4(th) = name[2], SYS_A5(th) = name[3];
    return m->kind == MODULE_BAD ? E_FORMAT : E_OK;
}

/* Ends the system for th's task (the platform with MANAGE): says who, then
 * switches the machine off. */
static __attribute__((noreturn)) void platform_halt(struct thread *th)
{
    kprintf("kernel: halted by %s\n", th->task->name);
    machine_power_off();
}

void platform_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct task *t = th->task;
    err_t e = need_manage(c);
    if (e) {
        sys_result(th, e);
        return;
    }
    switch (op) {
    case RS_OP_PLATFORM_IRQ: e = irq_create(SYS_A0(th), t, &t->cspace, SYS_A1(th)); break;
    case RS_OP_PLATFORM_IOPORTS:
        e = ioports_create(SYS_A0(th), SYS_A1(th), t, &t->cspace, SYS_A2(th));
        break;
    case RS_OP_PLATFORM_DMA: e = dma_bus_create(t, &t->cspace, SYS_A0(th)); break;
    case RS_OP_PLATFORM_MMIO:
        e = frame_create_mmio(SYS_A0(th), SYS_A1(th), t, &t->cspace, SYS_A2(th));
        break;
    case RS_OP_PLATFORM_IMAGE: e = platform_image(th); break;
    case RS_OP_PLATFORM_MODULE: e = platform_module(th); break;
    case RS_OP_PLATFORM_HALT: platform_halt(th);
    default: e = E_NOSYS;
    }
    if (e != E_CAPFAULT)
        sys_result(th, e);
}

typedef void (*invoke_fn)(struct thread *th, struct cap *c, uint64_t op);

static const invoke_fn invoke_table[RS_OBJ_COUNT] = {
    [RS_OBJ_TASK] = task_invoke,
    [RS_OBJ_THREAD] = thread_invoke,
    [RS_OBJ_IRQ] = irq_invoke,
    [RS_OBJ_IOPORTS] = ioports_invoke,
    [RS_OBJ_FRAME] = frame_invoke,
    [RS_OBJ_QUOTA] = quota_invoke,
    [RS_OBJ_PLATFORM] = platform_invoke,
    [RS_OBJ_IMAGE] = image_invoke,
    [RS_OBJ_TIMER] = ktimer_invoke,
    [RS_OBJ_ENDPOINT] = endpoint_invoke,
    [RS_OBJ_DMA] = dma_invoke,
};

void sys_invoke(struct thread *th)
{
    struct cap *c;
    if (sys_cap(th, SYS_SLOT(th), RS_OBJ_NONE, 0, &c))
        return;
    invoke_fn fn = invoke_table[c->obj->type];
    if (!fn) {
        sys_result(th, E_NOSYS);
        return;
    }
    fn(th, c, SYS_INFO(th));
}
