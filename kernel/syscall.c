/* System-call entry: a table indexed by the call number (uapi/resurgo/syscall.h).
 * An unknown number is a fault of the calling task, reported to its supervisor. */
#include "console.h"
#include "fault.h"
#include "ipc.h"
#include "sched.h"
#include "session.h"
#include "syscall.h"
#include "task.h"
#include "usercopy.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/timer.h"
#include "arch/x86_64/rtc.h"

void sys_invoke(struct thread *th);

err_t sys_cap(struct thread *th, uint64_t slot, unsigned type, uint32_t rights,
              struct cap **out)
{
    struct cspace *cs = &th->task->cspace;
    err_t e = cap_lookup(cs, slot, type, rights, out);
    if (!e)
        return E_OK;
    th->ctx.rax = e;
    if (e == E_CAPFAULT) {
        const struct cap *c = &cs->slots[slot];
        th->ctx.rdi = slot;
        th->ctx.rsi = c->obj->type;
        SYS_A0(th) = RS_CAPFAULT_NOT_DELIVERED;
        SYS_A1(th) = c->obj_id;
    }
    return e;
}

static void sys_nop(struct thread *th) { sys_result(th, E_OK); }

/* Whether t may log len bytes now (task.h, TASK_LOG_*); charges them if so. */
static int log_allowed(struct task *t, uint64_t len)
{
    if (t->log_unlimited)
        return 1;
    uint64_t now = sched_now_ms();
    uint64_t credit = t->log_credit + (now - t->log_ms) * TASK_LOG_PER_MS;
    t->log_credit = credit > TASK_LOG_BURST ? TASK_LOG_BURST : (uint32_t)credit;
    t->log_ms = now;
    if (len > t->log_credit || (t->log_dropped && t->log_credit < TASK_LOG_RESUME)) {
        t->log_dropped++;
        return 0;
    }
    t->log_credit -= (uint32_t)len;
    return 1;
}

static void sys_debug_write(struct thread *th)
{
    char buf[RS_LOG_WRITE_MAX];
    uint64_t len = th->ctx.rsi;
    if (len >= sizeof buf) {
        sys_result(th, E_RANGE);
        return;
    }
    err_t e = user_read(th->task, th->ctx.rdi, buf, len);
    if (!e && log_allowed(th->task, len)) {
        buf[len] = '\0';
        if (th->task->log_dropped)
            kprintf("[%s] (%u lines dropped: it logged more than %u bytes a second)\n",
                    th->task->name, th->task->log_dropped, TASK_LOG_PER_MS * 1000);
        th->task->log_dropped = 0;
        kprintf("[%s] %s", th->task->name, buf);
    }
    sys_result(th, e);
}

static void sys_yield(struct thread *th)
{
    sys_result(th, E_OK);
    th->slice = 0;                  /* sched_preempt puts it behind its peers */
}

static void sys_exit(struct thread *th)
{
    kobj_ref(&th->obj);
    task_exit(th->task, th, (int64_t)th->ctx.rdi);
    kobj_unref(&th->obj);
}

static void sys_cap_copy(struct thread *th)
{
    struct cap *c;
    if (!sys_cap(th, SYS_SLOT(th), RS_OBJ_NONE, 0, &c))
        sys_result(th, cap_derive(c, &th->task->cspace, SYS_A0(th), c->rights, c->badge));
}

static void sys_cap_mint(struct thread *th)
{
    struct cap *c;
    if (!sys_cap(th, SYS_SLOT(th), RS_OBJ_NONE, 0, &c))
        sys_result(th, cap_derive(c, &th->task->cspace, SYS_A0(th), SYS_A1(th), SYS_A2(th)));
}

static void sys_cap_move(struct thread *th)
{
    sys_result(th, SYS_SLOT(th) == 0 ? E_NOCAP
                   : cap_move(&th->task->cspace, SYS_SLOT(th), SYS_A0(th)));
}

/* Delete, revoke and info work on dead objects too (that is how one cleans up). */
static struct cap *slot_any(struct thread *th)
{
    struct cspace *cs = &th->task->cspace;
    uint64_t slot = SYS_SLOT(th);
    if (slot == 0 || slot >= cs->nslots || !cs->slots[slot].obj) {
        sys_result(th, E_NOCAP);
        return 0;
    }
    return &cs->slots[slot];
}

static void sys_cap_delete(struct thread *th)
{
    struct cap *c = slot_any(th);
    if (!c)
        return;
    kobj_ref(&th->obj);             /* deleting a capability can end the caller */
    sys_result(th, E_OK);
    cap_delete(c);
    kobj_unref(&th->obj);
}

/* Revoke deletes at most REVOKE_BATCH capabilities per kernel entry. When more
 * are left, the call is restarted: RIP goes back to the SYSCALL instruction (its
 * registers are untouched, RAX still the call number) and the thread yields, so
 * other threads and interrupts get in between batches. */
#define REVOKE_BATCH 64
#define SYSCALL_INSN_BYTES 2

static void sys_cap_revoke(struct thread *th)
{
    struct cap *c = slot_any(th);
    if (!c)
        return;
    kobj_ref(&th->obj);
    kobj_defer_begin();
    int more = cap_revoke(c, REVOKE_BATCH);
    kobj_defer_end();
    if (th->state != TH_DEAD) {
        if (more) {
            th->ctx.rip -= SYSCALL_INSN_BYTES;
            th->slice = 0;
        } else {
            sys_result(th, E_OK);
        }
    }
    kobj_unref(&th->obj);
}

static void sys_cap_info(struct thread *th)
{
    struct cap *c = slot_any(th);
    if (!c)
        return;
    SYS_A0(th) = c->obj->type;
    SYS_A1(th) = c->rights;
    SYS_A2(th) = c->badge;
    SYS_A3(th) = c->obj->dead;
    SYS_A4(th) = c->obj_id;
    sys_result(th, E_OK);
}

static void sys_set_fsbase(struct thread *th)
{
    uint64_t v = th->ctx.rdi;
    if (v >= USER_TOP) {
        sys_result(th, E_RANGE);
        return;
    }
    th->fs_base = v;
    sys_result(th, E_OK);
}

/* Sleeps at least ms milliseconds (1 ms resolution). 0 yields; RS_TIMEOUT_FOREVER
 * and any value too large to have a deadline sleep until the thread is killed. */
static void sys_sleep(struct thread *th)
{
    uint64_t ms = SYS_TIMEOUT(th);
    sys_result(th, E_OK);
    if (ms == RS_TIMEOUT_POLL) {
        th->slice = 0;
        return;
    }
    th->state = TH_SLEEPING;
    sched_timeout_arm(th, ms);
}

static void sys_time(struct thread *th)
{
    SYS_A0(th) = sched_now_ms();
    SYS_A1(th) = rdtsc();
    SYS_A2(th) = timer_tsc_hz();
    SYS_A3(th) = rtc_boot_unix;
    sys_result(th, E_OK);
}

typedef void (*syscall_fn)(struct thread *th);

#define SYS(name) [RS_SYS_##name - RS_SYS_BASE]

static const syscall_fn syscall_table[RS_SYS_COUNT] = {
    SYS(NOP) = sys_nop,
    SYS(DEBUG_WRITE) = sys_debug_write,
    SYS(YIELD) = sys_yield,
    SYS(EXIT) = sys_exit,
    SYS(CALL) = ipc_fast_call,
    SYS(SEND) = ipc_send,
    SYS(RECV) = ipc_recv,
    SYS(REPLY) = ipc_reply,
    SYS(REPLY_RECV) = ipc_fast_reply_recv,
    SYS(SIGNAL) = notify_signal,
    SYS(WAIT) = notify_wait,
    SYS(INVOKE) = sys_invoke,
    SYS(CAP_COPY) = sys_cap_copy,
    SYS(CAP_MINT) = sys_cap_mint,
    SYS(CAP_MOVE) = sys_cap_move,
    SYS(CAP_DELETE) = sys_cap_delete,
    SYS(CAP_REVOKE) = sys_cap_revoke,
    SYS(CAP_INFO) = sys_cap_info,
    SYS(REPLY_SAVE) = ipc_reply_save,
    SYS(SET_FSBASE) = sys_set_fsbase,
    SYS(SLEEP) = sys_sleep,
    SYS(TIME) = sys_time,
    SYS(SESSION_OPEN) = sys_session_open,
};

/* A Linux system-call number (the C library's inline `syscall` for something
 * libsys does not replace) is answered as Linux answers a call it lacks: RAX =
 * -ENOSYS, so the library reports an error instead of the component dying. The
 * first few per task are logged. Any other unknown number is a fault. */
#define LINUX_ENOSYS 38
#define LINUX_LOGGED 4

__attribute__((noreturn, noinline, cold))
static void unknown_call(struct thread *th, struct trap_frame *ctx, uint64_t nr)
{
    if (nr >= RS_LINUX_SYSCALLS)
        fault_raise(th, RS_FAULT_SYSCALL, 0, nr, 0);
    struct task *t = th->task;
    if (t->linux_calls++ < LINUX_LOGGED)
        kprintf("task '%s' (id %u): Linux system call %lu is not provided: -ENOSYS\n",
                t->name, t->tid, nr);
    ctx->rax = (uint64_t)-LINUX_ENOSYS;
    sched_preempt();
}

void syscall_dispatch(struct trap_frame *ctx)
{
    struct thread *th = sched_current;
    uint64_t nr = ctx->rax, index = nr - RS_SYS_BASE;
    if (index >= RS_SYS_COUNT)
        unknown_call(th, ctx, nr);      /* off the hot path: never returns */
    syscall_table[index](th);
    sched_preempt();
}
