/* The debug capability: a task capability with RS_RIGHT_DEBUG, for the fault
 * injector and debuggers. It can stop and resume the task's threads, read and
 * write a stopped thread's registers (checked so that no value can hurt the
 * kernel), read and write the task's memory (its own program text included) and
 * single-step; it grants nothing else. Arguments are checked before anything
 * changes. */
#include "debug.h"
#include "ipc.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/percpu.h"

/* RFLAGS bits a debugger may set: CF PF AF ZF SF TF DF OF AC ID (as entry.asm
 * lets through); IF and bit 1 are always set. */
#define DEBUG_RFLAGS_USER 0x240DD5ull
#define DEBUG_RFLAGS_SET  0x202ull
#define RFLAGS_TF         0x100ull

static struct thread *thread_at(struct task *t, uint64_t index)
{
    for (struct thread *th = t->threads; th; th = th->task_next)
        if (th->index == index)
            return th;
    return 0;
}

static void stop(struct thread *th)
{
    th->dbg_stop = 1;
    if (th->state == TH_RUNNABLE) {
        sched_dequeue(th);
        th->state = TH_SUSPENDED;
    }
}

static void resume(struct thread *th)
{
    th->dbg_stop = 0;
    if (th->state == TH_SUSPENDED && th->task->state == RS_TASK_RUNNING && !th->kmsg_pending)
        thread_ready(th);
}

/* Applies fn to one thread (by index) or to all (RS_DEBUG_ALL_THREADS). */
static err_t each_thread(struct task *t, uint64_t index, void (*fn)(struct thread *))
{
    if (index == RS_DEBUG_ALL_THREADS) {
        for (struct thread *th = t->threads; th; th = th->task_next)
            fn(th);
        return E_OK;
    }
    struct thread *th = thread_at(t, index);
    if (!th)
        return E_NOENT;
    fn(th);
    return E_OK;
}

/* The thread named by A0, which must be held by the debugger. */
static err_t stopped_thread(struct thread *self, struct task *t, struct thread **out)
{
    struct thread *th = thread_at(t, SYS_A0(self));
    if (!th)
        return E_NOENT;
    if (!th->dbg_stop || th == self)
        return E_BUSY;
    *out = th;
    return E_OK;
}

static err_t get_regs(struct thread *self, struct task *t)
{
    struct thread *th;
    err_t e = stopped_thread(self, t, &th);
    if (e)
        return e;
    const struct trap_frame *f = &th->ctx;
    struct rs_debug_regs r = {
        f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->rsp,
        f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15,
        f->rip, f->rflags, th->fs_base,
    };
    return user_write(self->task, SYS_A1(self), &r, sizeof r);
}

/* Checks the new registers first, then writes them all. The thread returns to
 * user mode through IRETQ (vector is no longer SYSCALL's), which restores every
 * register as written, RCX and R11 included. */
static err_t set_regs(struct thread *self, struct task *t)
{
    struct thread *th;
    struct rs_debug_regs r;
    err_t e = stopped_thread(self, t, &th);
    if (!e)
        e = user_read(self->task, SYS_A1(self), &r, sizeof r);
    if (e)
        return e;
    if (r.rip >= USER_TOP || r.rsp > USER_TOP || r.fs_base >= USER_TOP)
        return E_RANGE;
    struct trap_frame *f = &th->ctx;
    f->rax = r.rax, f->rbx = r.rbx, f->rcx = r.rcx, f->rdx = r.rdx;
    f->rsi = r.rsi, f->rdi = r.rdi, f->rbp = r.rbp, f->rsp = r.rsp;
    f->r8 = r.r8, f->r9 = r.r9, f->r10 = r.r10, f->r11 = r.r11;
    f->r12 = r.r12, f->r13 = r.r13, f->r14 = r.r14, f->r15 = r.r15;
    f->rip = r.rip;
    f->rflags = (r.rflags & DEBUG_RFLAGS_USER) | DEBUG_RFLAGS_SET;
    f->vector = 0;
    th->fs_base = r.fs_base;
    return E_OK;
}

/* read: A0 address in the target, A1 length, A2 buffer of the caller. */
static err_t copy_memory(struct thread *self, struct task *t, int write)
{
    uint64_t addr = SYS_A0(self), len = SYS_A1(self), buf = SYS_A2(self);
    if (len > RS_DEBUG_MAX_COPY)
        return E_RANGE;
    if (write)
        return user_copy_debug(t, addr, self->task, buf, len);
    return user_copy(self->task, buf, t, addr, len);
}

static err_t step(struct thread *self, struct task *t)
{
    struct thread *th;
    err_t e = stopped_thread(self, t, &th);
    if (e)
        return e;
    th->ctx.rflags |= RFLAGS_TF;
    th->ctx.vector = 0;             /* IRETQ: TF takes effect after one instruction */
    resume(th);
    return E_OK;
}

static err_t attach(struct thread *self, struct task *t)
{
    struct cap *ep;
    err_t e = sys_cap(self, SYS_A0(self), RS_OBJ_ENDPOINT, RS_RIGHT_WRITE, &ep);
    if (e)
        return e;
    if (t->debugger)
        kobj_unref(&t->debugger->obj);
    t->debugger = (struct endpoint *)ep->obj;
    kobj_ref(ep->obj);
    t->debugger_badge = ep->badge;
    return E_OK;
}

static unsigned public_state(const struct thread *th)
{
    switch (th->state) {
    case TH_INACTIVE: return RS_THREAD_INACTIVE;
    case TH_RUNNABLE: return RS_THREAD_RUNNABLE;
    case TH_SLEEPING: return RS_THREAD_SLEEPING;
    case TH_SUSPENDED: return RS_THREAD_STOPPED;
    case TH_DEAD: return RS_THREAD_DEAD;
    default: return RS_THREAD_BLOCKED;
    }
}

static err_t thread_info(struct thread *self, struct task *t)
{
    struct thread *th = thread_at(t, SYS_A0(self));
    SYS_A2(self) = t->threads_made;
    if (!th)
        return E_NOENT;
    SYS_A0(self) = public_state(th);
    SYS_A1(self) = th->dbg_stop;
    return E_OK;
}

err_t debug_op(struct thread *self, struct task *t, uint64_t op)
{
    switch (op) {
    case RS_OP_TASK_DEBUG_STOP: return each_thread(t, SYS_A0(self), stop);
    case RS_OP_TASK_DEBUG_RESUME: return each_thread(t, SYS_A0(self), resume);
    case RS_OP_TASK_DEBUG_GET_REGS: return get_regs(self, t);
    case RS_OP_TASK_DEBUG_SET_REGS: return set_regs(self, t);
    case RS_OP_TASK_DEBUG_READ: return copy_memory(self, t, 0);
    case RS_OP_TASK_DEBUG_WRITE: return copy_memory(self, t, 1);
    case RS_OP_TASK_DEBUG_STEP: return step(self, t);
    case RS_OP_TASK_DEBUG_ATTACH: return attach(self, t);
    case RS_OP_TASK_DEBUG_THREAD: return thread_info(self, t);
    default: return E_NOSYS;
    }
}

int debug_is_op(uint64_t op)
{
    return op >= RS_OP_TASK_DEBUG_STOP && op <= RS_OP_TASK_DEBUG_THREAD;
}
