/* Priority round-robin scheduler, idle loop and timer queue (see sched.h). */
#include "console.h"
#include "mm.h"
#include "sched.h"
#include "task.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/timer.h"
#include "uapi/resurgo/ops.h"

struct thread *sched_current;

static struct thread *runq[RS_PRIORITIES];     /* circular lists, head = next to run */
uint32_t sched_runq_bitmap;
static struct thread *timer_head;               /* sorted by wake_tick */
static uint64_t ticks;
static uint64_t loaded_cr3, loaded_fs;

void sched_init(void)
{
    loaded_cr3 = read_cr3();
}

void sched_enqueue(struct thread *th)
{
    struct thread **q = &runq[th->prio];
    if (!*q) {
        th->rq_next = th->rq_prev = th;
        *q = th;
        sched_runq_bitmap |= 1u << th->prio;
        return;
    }
    th->rq_next = *q;
    th->rq_prev = (*q)->rq_prev;
    (*q)->rq_prev->rq_next = th;
    (*q)->rq_prev = th;
}

void sched_dequeue(struct thread *th)
{
    struct thread **q = &runq[th->prio];
    if (!th->rq_next)
        return;
    if (th->rq_next == th) {
        *q = 0;
        sched_runq_bitmap &= ~(1u << th->prio);
    } else {
        th->rq_prev->rq_next = th->rq_next;
        th->rq_next->rq_prev = th->rq_prev;
        if (*q == th)
            *q = th->rq_next;
    }
    th->rq_next = th->rq_prev = 0;
}

static void load_address_space(struct task *t)
{
    if (t->pml4 != loaded_cr3) {
        write_cr3(t->pml4);
        loaded_cr3 = t->pml4;
        if (t->iopb)
            tss_io_bitmap(t, t->iopb);
        else
            *tss_iopb_offset = tss_iopb_none;
    }
}

void sched_run(struct thread *th)
{
    uint64_t ctx_end = (uint64_t)(&th->ctx + 1);
    sched_current = th;
    percpu.ctx_end = ctx_end;
    *tss_rsp0 = ctx_end;
    load_address_space(th->task);
    if (th->fs_base != loaded_fs) {
        wrmsr(MSR_FS_BASE, th->fs_base);
        loaded_fs = th->fs_base;
    }
    fpu_prepare(th);
    arch_enter_user(&th->ctx);
}

static void idle_loop(void)
{
    for (;;) {
        cpu_cli();
        if (sched_runq_bitmap)
            sched_switch();
        cpu_sti();
        cpu_hlt();
    }
}

/* Nothing to run: wait for an interrupt on a fresh kernel stack. */
static __attribute__((noreturn)) void idle(void)
{
    sched_current = 0;
    arch_call_on_stack(percpu.kstack_top, idle_loop);
}

void sched_switch(void)
{
    int p = sched_highest();
    if (p < 0)
        idle();
    struct thread *th = runq[p];
    sched_dequeue(th);
    if (!th->slice)
        th->slice = SCHED_SLICE_TICKS;
    sched_run(th);
}

void sched_direct(struct thread *th)
{
    if (sched_highest() <= th->prio) {
        if (!th->slice)
            th->slice = SCHED_SLICE_TICKS;
        sched_run(th);
    }
    sched_enqueue(th);
}

void sched_preempt(void)
{
    struct thread *cur = sched_current;
    if (cur && cur->state == TH_RUNNABLE) {
        if (cur->slice && sched_highest() <= cur->prio)
            sched_run(cur);
        sched_enqueue(cur);
    }
    sched_switch();
}

static void timer_insert(struct thread *th)
{
    struct thread **p = &timer_head, *prev = 0;
    while (*p && (*p)->wake_tick <= th->wake_tick) {
        prev = *p;
        p = &(*p)->tq_next;
    }
    th->tq_next = *p;
    th->tq_prev = prev;
    if (*p)
        (*p)->tq_prev = th;
    *p = th;
}

void sched_timeout_cancel(struct thread *th)
{
    if (!th->wake_tick)
        return;
    if (th->tq_prev)
        th->tq_prev->tq_next = th->tq_next;
    else
        timer_head = th->tq_next;
    if (th->tq_next)
        th->tq_next->tq_prev = th->tq_prev;
    th->tq_next = th->tq_prev = 0;
    th->wake_tick = 0;
}

void sched_timeout_arm(struct thread *th, uint64_t ms)
{
    if (ms == (~0ull) || ms > 1000000000000ull)
        return;
    uint64_t t = (ms + (1000 / TIMER_HZ) - 1) / (1000 / TIMER_HZ);
    th->wake_tick = ticks + (t ? t : 1);
    timer_insert(th);
}

void sched_forget_address_space(uint64_t pml4)
{
    if (loaded_cr3 == pml4) {
        loaded_cr3 = mm_kernel_root();
        write_cr3(loaded_cr3);
    }
}

uint64_t sched_now_ms(void)
{
    return ticks * (1000 / TIMER_HZ);
}

void sched_tick(void)
{
    ticks++;
    while (timer_head && timer_head->wake_tick <= ticks)
        thread_wake(timer_head, E_TIMEOUT);
    struct thread *cur = sched_current;
    if (cur && cur->slice)
        cur->slice--;
}
