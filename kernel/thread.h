/* Threads: a saved user context, a scheduling state and IPC state. The kernel has
 * one stack per CPU; a blocked thread keeps nothing on it, only in this struct. */
#pragma once
#include <stdint.h>
#include "object.h"
#include "timerq.h"
#include "arch/x86_64/trap.h"

struct endpoint;
struct reply;
struct notification;
struct thread;

/* A FIFO of blocked threads (on an endpoint or a notification). */
struct thread_queue {
    struct thread *head, *tail;
};

enum thread_state {
    TH_INACTIVE,            /* created, not started */
    TH_RUNNABLE,            /* on a run queue, or running */
    TH_BLOCKED_SEND,        /* queued on an endpoint to send or call */
    TH_BLOCKED_RECV,        /* queued on an endpoint to receive */
    TH_BLOCKED_REPLY,       /* waiting for the reply to a call */
    TH_BLOCKED_NOTIFY,      /* waiting on a notification */
    TH_SLEEPING,            /* waiting for its timeout only */
    TH_SUSPENDED,           /* its task faulted; resumed by reply or TASK_RESUME */
    TH_DEAD,
};

struct thread {
    struct kobj obj;
    struct trap_frame ctx __attribute__((aligned(16)));  /* user registers; the CPU
                                       pushes at TSS.RSP0, which points past it */
    struct task *task;
    enum thread_state state;
    uint8_t prio;
    uint8_t slice;                  /* timer ticks left in this time slice */
    uint8_t ipc_is_call;            /* blocked sending: a call (wants a reply) */
    uint32_t index;                 /* its number in its task (0: the first thread) */
    union {
        struct {
            uint8_t kmsg_pending;   /* sending a kernel-made message (fault, exit) */
            uint8_t dbg_stop;       /* held by a debugger: never runs until resumed */
        };
        uint16_t held;              /* either one: never switched to directly (one
                                       test on the IPC fast path) */
    };
    uint32_t kmsg_label;
    uint64_t kmsg[6];
    struct thread *rq_next, *rq_prev;   /* run queue, or an endpoint/notification queue */
    struct thread *task_next;       /* the task's list of threads */
    struct tq_node timeout;         /* in the timer queue while a timeout is armed */
    void *blocked_on;               /* endpoint, notification or reply */
    uint64_t ipc_slot;              /* the slot it invoked (for capability faults) */
    uint64_t ipc_badge;             /* badge of the capability it sends through */
    struct thread *caller;          /* server side: the caller it must answer */
    struct frame *session_map;      /* server side: the caller's session region, mapped
                                       in its window while it handles the call */
    struct notification *bound;     /* its signals also end this thread's receives */
    uint64_t fs_base;
    uint8_t *fpu;                   /* 512-byte FXSAVE area, 16-aligned; lazy */
    uint8_t fpu_used;
};

/* Creates an inactive thread in task t (charged to t's quota) that will enter user
 * mode at `entry` with stack `stack` and RDI = arg. E_RANGE for addresses outside
 * user space, E_QUOTA/E_NOMEM. */
err_t thread_create(struct task *t, uint64_t entry, uint64_t stack, uint64_t arg,
                    unsigned prio, struct thread **out);

/* Death action: leaves every queue, wakes whoever waits on its replies. */
void thread_kill(struct thread *th);

/* Ends the current wait of th with err (E_OK, E_TIMEOUT, E_CAPFAULT, ...) written
 * to its RAX (and slot/kind in RDI/RSI for a capability fault); makes it runnable. */
void thread_wake(struct thread *th, err_t err);

/* Makes th (off every queue) runnable and queues it, unless it is the current
 * thread; a thread of a stopped task (faulted, exiting) is suspended instead.
 * Returns 1 if th may run. */
int thread_ready(struct thread *th);

/* Ends th's wait because `dead` died: E_CAPFAULT for the slot th invoked, with
 * the dead object's kind and id and the phase (RS_CAPFAULT_*) in its registers; a
 * thread waiting to deliver a kernel notice ends its task instead. */
void thread_wake_capfault(struct thread *th, const struct kobj *dead, unsigned phase);

/* Ends a call whose reply was dropped by a live server: RS_E_DROPPED. */
void thread_wake_dropped(struct thread *th);

/* Removes th from whatever it is blocked on or queued in (endpoint, notification,
 * reply, run queue, timer); leaves its state to the caller. */
void thread_unblock_all(struct thread *th);

void thread_free_fpu(struct thread *th);

/* FIFO operations; a thread is in at most one queue (rq_next/rq_prev). */
void tqueue_push(struct thread_queue *q, struct thread *th);
void tqueue_remove(struct thread_queue *q, struct thread *th);
struct thread *tqueue_pop(struct thread_queue *q);
