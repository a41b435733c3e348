/* Thread creation, blocking bookkeeping and death (see thread.h). */
#include "console.h"
#include "ipc.h"
#include "kstring.h"
#include "mm.h"
#include "panic.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "session.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"

#define FPU_AREA 512

static struct slab_cache fpu_cache;

err_t thread_create(struct task *t, uint64_t entry, uint64_t stack, uint64_t arg,
                    unsigned prio, struct thread **out)
{
    if (entry < PAGE_SIZE || entry >= USER_TOP || stack < PAGE_SIZE || stack > USER_TOP)
        return E_RANGE;
    if (prio >= RS_PRIORITIES)
        return E_RANGE;
    if (!fpu_cache.obj_size)
        slab_cache_init(&fpu_cache, "fpu", FPU_AREA, &mm_slab_source);
    struct kobj *o;
    err_t e = kobj_create(RS_OBJ_THREAD, t, t->quota, FPU_AREA, &o);
    if (e)
        return e;
    struct thread *th = (struct thread *)o;
    th->task = t;
    th->fpu = slab_alloc(&fpu_cache);
    if (!th->fpu) {
        kobj_kill(o);
        return E_NOMEM;
    }
    th->prio = (uint8_t)prio;
    th->state = TH_INACTIVE;
    th->index = t->threads_made++;
    th->ctx = (struct trap_frame){ .rip = entry, .rsp = stack, .rdi = arg, .cs = SEL_UCODE,
                                   .ss = SEL_UDATA, .rflags = 0x202 };
    th->task_next = t->threads;
    t->threads = th;
    *out = th;
    return E_OK;
}

void thread_free_fpu(struct thread *th)
{
    slab_free(&fpu_cache, th->fpu);
    th->fpu = 0;
}

/* A caller waiting for a reply from `holder` (a server thread or reply object). */
static void detach_reply_wait(struct thread *th)
{
    struct kobj *holder = th->blocked_on;
    if (!holder)
        return;
    if (holder->type == RS_OBJ_THREAD && ((struct thread *)holder)->caller == th) {
        ((struct thread *)holder)->caller = 0;
        session_unmap((struct thread *)holder);     /* its caller gave up, or died */
    }
    else if (holder->type == RS_OBJ_REPLY && ((struct reply *)holder)->caller == th)
        ((struct reply *)holder)->caller = 0;
}

void thread_unblock_all(struct thread *th)
{
    switch (th->state) {
    case TH_BLOCKED_SEND:
    case TH_BLOCKED_RECV:
        tqueue_remove(&((struct endpoint *)th->blocked_on)->q, th);
        break;
    case TH_BLOCKED_NOTIFY:
        tqueue_remove(&((struct notification *)th->blocked_on)->q, th);
        break;
    case TH_BLOCKED_REPLY:
        detach_reply_wait(th);
        break;
    case TH_RUNNABLE:
        sched_dequeue(th);
        break;
    default:
        break;
    }
    sched_timeout_cancel(th);
    th->blocked_on = 0;
}

void thread_wake(struct thread *th, err_t err)
{
    enum thread_state was = th->state;
    thread_unblock_all(th);
    if (was == TH_SLEEPING && err == E_TIMEOUT)
        err = E_OK;
    th->ctx.rax = err;
    if (err == E_TIMEOUT && (was == TH_BLOCKED_SEND || was == TH_BLOCKED_REPLY))
        th->ctx.rdx = was == TH_BLOCKED_REPLY ? RS_CAPFAULT_DELIVERED
                                               : RS_CAPFAULT_NOT_DELIVERED;
    th->kmsg_pending = 0;
    thread_ready(th);
}

int thread_ready(struct thread *th)
{
    if (!thread_may_run(th)) {
        th->state = TH_SUSPENDED;   /* stopped (task or debugger): runs when resumed */
        return 0;
    }
    th->state = TH_RUNNABLE;
    if (th != sched_current)
        sched_enqueue(th);
    return 1;
}

void thread_wake_capfault(struct thread *th, const struct kobj *dead, unsigned phase)
{
    if (th->kmsg_pending) {         /* a fault or exit notice nobody can answer now */
        thread_unblock_all(th);
        th->kmsg_pending = 0;
        th->state = TH_SUSPENDED;
        kobj_kill(&th->task->obj);
        return;
    }
    thread_wake(th, E_CAPFAULT);
    th->ctx.rdi = th->ipc_slot;
    th->ctx.rsi = dead->type;
    th->ctx.rdx = phase;
    th->ctx.r10 = dead->id;
}

void thread_wake_dropped(struct thread *th)
{
    if (th->kmsg_pending) {         /* a notice saved and dropped: ends the task */
        thread_wake_capfault(th, &th->obj, RS_CAPFAULT_DELIVERED);
        return;
    }
    thread_wake(th, E_DROPPED);
    th->ctx.rdi = th->ipc_slot;
    th->ctx.rdx = RS_CAPFAULT_DELIVERED;
}

static void unlink_from_task(struct thread *th)
{
    for (struct thread **p = &th->task->threads; *p; p = &(*p)->task_next) {
        if (*p == th) {
            *p = th->task_next;
            return;
        }
    }
}

void thread_kill(struct thread *th)
{
    session_unmap(th);              /* killed in the middle of a call */
    if (th->caller) {
        struct thread *c = th->caller;
        th->caller = 0;
        thread_wake_capfault(c, &th->obj, RS_CAPFAULT_DELIVERED);
    }
    thread_unblock_all(th);
    notify_unbind(th);
    th->state = TH_DEAD;
    fpu_forget(th);
    unlink_from_task(th);
    if (sched_current == th)
        sched_current = 0;
}
