/* User-mode faults become messages to the task's supervisor (see fault.h). */
#include "console.h"
#include "fault.h"
#include "ipc.h"
#include "sched.h"
#include "task.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"

static void report(struct thread *th, unsigned reason, uint64_t vector, uint64_t addr,
                   uint64_t error)
{
    struct task *t = th->task;
    if (reason == RS_FAULT_SYSCALL)
        kprintf("fault: task '%s' (id %u): unknown system call %lu at RIP %#lx\n",
                t->name, t->tid, addr, th->ctx.rip);
    else if (reason == RS_FAULT_DMA)
        kprintf("fault: task '%s' (id %u): its device %02lx:%02lx.%lx made a DMA fault at %#lx\n",
                t->name, t->tid, error >> 8, (error >> 3) & 31, error & 7, addr);
    else if (reason == RS_FAULT_PAGE)
        kprintf("fault: task '%s' (id %u): page fault at %#lx (%s, %s) RIP %#lx\n",
                t->name, t->tid, addr, error & 1 ? "protection" : "not present",
                error & 2 ? "write" : (error & 16 ? "execute" : "read"), th->ctx.rip);
    else
        kprintf("fault: task '%s' (id %u): %s (vector %lu, error %#lx) RIP %#lx\n",
                t->name, t->tid, trap_vector_name(vector), vector, error, th->ctx.rip);
}

void arch_bad_user_rip(struct trap_frame *f)
{
    fault_raise(sched_current, RS_FAULT_EXCEPTION, 13, f->rip, 0);
}

/* Where th's fault notice goes: breakpoints and steps to an attached debugger,
 * everything else (and those, without one) to the supervisor; NULL: nobody. */
static struct endpoint *notice_target(struct task *t, unsigned reason, uint64_t *badge)
{
    int debug = reason == RS_FAULT_BREAKPOINT || reason == RS_FAULT_STEP;
    if (debug && t->debugger && !t->debugger->obj.dead) {
        *badge = t->debugger_badge;
        return t->debugger;
    }
    *badge = t->supervisor_badge;
    return t->supervisor && !t->supervisor->obj.dead ? t->supervisor : 0;
}

void fault_raise(struct thread *th, unsigned reason, uint64_t vector, uint64_t addr,
                 uint64_t error)
{
    struct task *t = th->task;
    uint64_t badge;
    struct endpoint *to = notice_target(t, reason, &badge);
    if (!to || to != t->debugger)
        report(th, reason, vector, addr, error);    /* a debugger's own stops are quiet */
    t->exit_status = -1;
    if (!to) {
        kprintf("fault: task '%s' has no supervisor: destroyed\n", t->name);
        kobj_kill(&t->obj);
        sched_switch();
    }
    t->state = RS_TASK_FAULTED;
    task_suspend(t, th);
    uint64_t words[6] = { t->tid, reason, vector | error << 32, addr, th->ctx.rip, rdtsc() };
    ipc_kernel_call(th, to, badge, RS_LABEL_FAULT, words);
    sched_switch();
}
