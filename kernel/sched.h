/* The scheduler: fixed priorities 0-31 (higher runs first), round robin with time
 * slices within a priority, an idle loop when nothing is runnable, and the timer
 * queue for timeouts. Runs with interrupts disabled (the kernel is not preemptible). */
#pragma once
#include <stdint.h>
#include "thread.h"

#define SCHED_SLICE_TICKS 50    /* 50 ms */

extern struct thread *sched_current;    /* the thread whose context is loaded; NULL: idle */
extern uint32_t sched_runq_bitmap;      /* bit p set: a thread of priority p is queued */

/* The highest priority with a queued thread, or -1. */
static inline int sched_highest(void)
{
    return sched_runq_bitmap ? 31 - __builtin_clz(sched_runq_bitmap) : -1;
}

void sched_init(void);

/* Puts th (TH_RUNNABLE) at the tail of its priority's queue. */
void sched_enqueue(struct thread *th);
/* Takes th off its run queue (it stays in whatever state it is). */
void sched_dequeue(struct thread *th);

/* Picks the next thread to run and returns to user mode in it, or idles. Never
 * returns. The current thread, if still runnable, must already be queued. */
__attribute__((noreturn)) void sched_switch(void);

/* Returns to user mode in th, which becomes sched_current (it must be runnable and
 * off the run queues). Never returns. */
__attribute__((noreturn)) void sched_run(struct thread *th);

/* th was just made runnable by the current thread, which blocked: runs th at once
 * (the IPC fast path) unless a higher-priority thread waits, else queues it. */
void sched_direct(struct thread *th);

/* After an interrupt or system call: keeps running the current thread unless it
 * blocked, its slice ran out or a higher-priority thread is runnable. */
__attribute__((noreturn)) void sched_preempt(void);

/* Called on every timer tick (1 ms): expires timeouts and timers, and the
 * current time slice. */
void sched_tick(void);

/* Arms th's timeout to expire no sooner than `ms` milliseconds from now (at most
 * one tick later). RS_TIMEOUT_FOREVER, and any value whose deadline would pass
 * 2^64 ms, arm nothing: the wait is unbounded, never cut short by a wrap. */
void sched_timeout_arm(struct thread *th, uint64_t ms);
void sched_timeout_cancel(struct thread *th);

/* The timer queue for other owners (timer objects): n->deadline in ticks. */
void sched_timer_add(struct tq_node *n);
void sched_timer_del(struct tq_node *n);

/* Kinds of timer-queue nodes. */
enum { TQ_THREAD = 1, TQ_TIMER = 2 };

/* The address space at pml4 is about to be freed: stop using it. */
void sched_forget_address_space(uint64_t pml4);

/* Drops va of address space pml4 from the TLB, if that space is the loaded one. */
void sched_flush_page(uint64_t pml4, uint64_t va);

/* Milliseconds (timer ticks) since the timer started. */
uint64_t sched_now_ms(void);
