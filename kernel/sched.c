/* Priority round-robin scheduler, idle loop and timer queue (see sched.h). */
#include "console.h"
#include "ktimer.h"
#include "mm.h"
#include "sched.h"
#include "dma.h"
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
static struct timerq timers;                     /* timeouts and timer objects */
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
    uint64_t pml4 = t->pml4;
    if (pml4 != loaded_cr3) {
        write_cr3(pml4);
        loaded_cr3 = pml4;
        if (t->iopb)
            tss_io_bitmap(t, t->iopb);
        else
            tss.iopb_offset = tss_iopb_none;
    }
}

void sched_run(struct thread *th)
{
    uint64_t ctx_end = (uint64_t)(&th->ctx + 1);
    sched_current = th;
    tss.rsp[0] = ctx_end;
    load_address_space(th->task);
    if (th->fs_base != loaded_fs) {
        wrmsr(MSR_FS_BASE, th->fs_base);
        loaded_fs = th->fs_base;
    }
    fpu_prepare(th);
    if (__builtin_expect(th->task->dma_fault_pending, 0))
        dma_fault_deliver(th);      /* its device's refused DMA: a fault of the task */
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

void sched_timer_add(struct tq_node *n)
{
    tq_insert(&timers, n);
}

void sched_timer_del(struct tq_node *n)
{
    if (n->queued)
        tq_remove(&timers, n);
}

void sched_timeout_cancel(struct thread *th)
{
    sched_timer_del(&th->timeout);
}

void sched_timeout_arm(struct thread *th, uint64_t ms)
{
    uint64_t deadline = ticks + ms + 1;     /* the current tick is partly gone */
    if (ms == RS_TIMEOUT_FOREVER || deadline <= ticks)
        return;
    th->timeout.deadline = deadline;
    th->timeout.kind = TQ_THREAD;
    tq_insert(&timers, &th->timeout);
}

void sched_flush_page(uint64_t pml4, uint64_t va)
{
    if (loaded_cr3 == pml4)
        invlpg(va);                 /* else not in the TLB: loading a CR3 flushed it */
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
    return ticks;
}

#define container_of(p, type, field) ((type *)((char *)(p) - __builtin_offsetof(type, field)))

void sched_tick(void)
{
    ticks++;
    struct tq_node *n;
    while ((n = tq_min(&timers)) && n->deadline <= ticks) {
        tq_remove(&timers, n);
        if (n->kind == TQ_THREAD)
            thread_wake(container_of(n, struct thread, timeout), E_TIMEOUT);
        else
            ktimer_fire(container_of(n, struct ktimer_obj, node), ticks);
    }
    struct thread *cur = sched_current;
    if (cur && cur->slice)
        cur->slice--;
}
