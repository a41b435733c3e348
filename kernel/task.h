/* Tasks: an address space, a capability space, threads, a quota and the objects
 * the task owns. A task's supervisor endpoint receives its fault and exit notices. */
#pragma once
#include <stdint.h>
#include "cap.h"
#include "elf.h"
#include "object.h"
#include "thread.h"

struct thread;
struct quota;
struct endpoint;

struct task {
    struct kobj obj;
    char name[32];
    uint32_t tid;                   /* task id: small, unique, for logs and faults */
    uint8_t state;                  /* RS_TASK_* */
    uint8_t store_only;             /* a capability store: never given threads */
    uint8_t dma_fault_pending;      /* its device made a DMA fault (kernel/dma.c): */
    uint32_t dma_fault_bdf;         /*   which function, and where; raised as */
    uint64_t dma_fault_addr;        /*   RS_FAULT_DMA when it next runs */
    uint64_t pml4;                  /* physical address of the top-level table */
    struct cspace cspace;
    struct quota *quota;            /* referenced */
    struct thread *threads;
    struct kobj *owned;             /* objects that die with the task (object.c) */
    struct endpoint *supervisor;    /* referenced; NULL: none */
    uint64_t supervisor_badge;
    uint8_t *iopb;                  /* 8 KiB I/O permission bitmap, or NULL */
    struct task *all_next;          /* every live task, for ps */
    uint64_t linux_calls;           /* Linux system calls answered -ENOSYS */
    int64_t exit_status;            /* set by RS_SYS_EXIT; -1 after a fault */
    uint64_t cspace_phys;           /* storage of the cspace slots */
    uint32_t threads_made;          /* the index the next thread gets */
    uint64_t *session_pt;           /* the page table of its session window, or NULL */
    struct endpoint *debugger;      /* referenced; breakpoints and steps go here */
    uint64_t debugger_badge;
    uint64_t receives;              /* receives on an endpoint by its threads (IPC) */
    uint32_t log_credit;            /* bytes it may still log now (syscall.c) */
    uint32_t log_dropped;           /* lines refused since its last logged one */
    uint64_t log_ms;                /* when the credit was last topped up */
    uint8_t log_unlimited;          /* the root task: its log is never cut */
};

/* Whether th may run now: its task is not stopped and no debugger holds it. */
static inline int thread_may_run(const struct thread *th)
{
    return th->task->state == RS_TASK_RUNNING && !th->dbg_stop;
}

/* What a task may write to the kernel log: TASK_LOG_BURST bytes at once, then
 * TASK_LOG_PER_MS bytes a millisecond (the root task is not limited). A task that
 * floods the log (a corrupted driver's warning in a loop) has its lines dropped
 * until it has TASK_LOG_RESUME bytes of credit again, and then one line says how
 * many: it does not hold the serial port, and everyone's time, for itself. */
#define TASK_LOG_BURST (32 * 1024)
#define TASK_LOG_PER_MS 8
#define TASK_LOG_RESUME (8 * 1024)

#define TASK_EXITING 4              /* internal state: waiting for its exit notice */
#define USER_STACK_TOP   0x00007FFFFFF00000ull
#define USER_STACK_PAGES 32

/* Creates a task named `name` with an empty address space and cspace, charged to q
 * (the task also takes a reference on q as its own quota). Slots RS_SLOT_TASK and
 * RS_SLOT_QUOTA hold capabilities to itself and to q. */
err_t task_create(const char *name, struct quota *q, struct task *owner,
                  struct task **out);

/* Loads a validated ELF image into t's address space (frames charged to t's quota)
 * and creates its first thread (slot RS_SLOT_THREAD) with a stack whose top holds
 * the argument string; the thread starts with RDI pointing at it. On error the
 * caller destroys t. */
err_t task_load_elf(struct task *t, const void *image, const struct elf_image *elf,
                    const char *args, unsigned prio, struct thread **out);

/* Makes every inactive or suspended thread of t runnable. */
void task_start(struct task *t);

/* After a fault notice is answered or RS_OP_TASK_RESUME: makes the threads that
 * were stopped with the task runnable again; never-started threads stay inactive. */
void task_resume_threads(struct task *t);

/* Stops every thread of t except `except` (used when one faults). */
void task_suspend(struct task *t, struct thread *except);

/* Death action of a task: kills its threads and owned objects, empties its cspace,
 * frees its address space. */
void task_kill(struct task *t);

/* A kernel notice (fault or exit) sent by th was answered by its supervisor: a
 * faulted task resumes, an exiting one is destroyed. */
void task_notice_answered(struct thread *th);

/* Ends task t with `status` on behalf of its thread th (RS_SYS_EXIT): tells the
 * supervisor, or destroys t at once when it has none. */
void task_exit(struct task *t, struct thread *th, int64_t status);

/* The page-table environment of t: tables charged to t's quota. */
struct pt_env task_pt_env(struct task *t);


/* The first live task in the system list, and the next one; for ps-like listings. */
struct task *task_first(void);
