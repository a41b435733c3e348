/* Kernel object kinds and capability rights, as seen from user space. */
#pragma once

enum rs_obj_type {
    RS_OBJ_NONE = 0,
    RS_OBJ_TASK = 1,          /* an address space + capability space + threads */
    RS_OBJ_THREAD = 2,        /* a schedulable context in a task */
    RS_OBJ_ENDPOINT = 3,      /* a synchronous IPC gate */
    RS_OBJ_REPLY = 4,         /* the right to answer one call */
    RS_OBJ_NOTIFICATION = 5,  /* an asynchronous word of bits */
    RS_OBJ_IRQ = 6,           /* one interrupt line */
    RS_OBJ_IOPORTS = 7,       /* a range of I/O ports */
    RS_OBJ_FRAME = 8,         /* physical pages (RAM or an MMIO window) */
    RS_OBJ_QUOTA = 9,         /* a memory budget objects are charged to */
    RS_OBJ_PLATFORM = 10,     /* authority over hardware and boot modules */
    RS_OBJ_IMAGE = 11,        /* one boot module: the right to spawn it */
    RS_OBJ_TIMER = 12,        /* a one-shot or periodic timer signalling a notification */
    RS_OBJ_DMA = 13,          /* what one PCI function (or, the bus object, any) may
                                 reach by DMA: the frames its driver granted */
    RS_OBJ_COUNT = 14
};

/* Rights. Their meaning per kind:
 *   endpoint:     WRITE send/call, READ receive, GRANT transfer capabilities
 *   notification: WRITE signal, READ wait
 *   frame:        READ map readable, WRITE map writable, EXEC map executable,
 *                 MANAGE grow (which charges the frame's quota)
 *   reply:        WRITE reply
 *   task:         READ info; MANAGE start, give a capability, create a thread,
 *                 adopt; SUPERVISE set the supervisor, destroy, resume after a
 *                 fault; DEBUG the debug operations (stop, registers, memory, step)
 *   image:        MANAGE spawn; READ info
 *   thread, quota, irq, ioports, platform, timer, dma: MANAGE for every operation
 * A rights word with any other bit set is refused (RS_E_INVAL), never truncated. */
#define RS_RIGHT_READ      1u
#define RS_RIGHT_WRITE     2u
#define RS_RIGHT_GRANT     4u
#define RS_RIGHT_MANAGE    8u
#define RS_RIGHT_EXEC      16u
#define RS_RIGHT_SUPERVISE 32u
#define RS_RIGHT_DEBUG     64u
#define RS_RIGHTS_ALL      127u

/* The rights of a task's capability to itself (slot RS_SLOT_TASK): it can start its
 * threads and read its own state, but not pick its supervisor, end itself silently
 * or debug itself. Its spawner holds the capability with every right. */
#define RS_RIGHTS_SELF (RS_RIGHT_READ | RS_RIGHT_MANAGE)

/* Capability slots every task starts with. */
#define RS_SLOT_NULL     0    /* never holds a capability */
#define RS_SLOT_TASK     1    /* the task itself */
#define RS_SLOT_THREAD   2    /* its first thread */
#define RS_SLOT_QUOTA    3    /* its memory quota */
#define RS_SLOT_PLATFORM 4    /* root task only: the platform */
#define RS_SLOT_KEEP     5    /* root task only: memory (RS_ROOT_KEEP_PAGES) and a */
#define RS_SLOT_STORE    6    /* capability store, the same for every incarnation of
                                 the root task (the kernel restarts it when it dies) */
#define RS_ROOT_KEEP_PAGES 32
#define RS_SLOT_FIRST_FREE 8
#define RS_CSPACE_SLOTS  256
/* Session state regions: a server's first thread sees the region of the session a
 * call belongs to at RS_SESSION_WINDOW while it handles the call (syscall.h:
 * RS_MSG_SESSION), at most RS_SESSION_MAX_PAGES pages. */
#define RS_SESSION_WINDOW    0x00005E5500000000ull
#define RS_SESSION_WINDOW_SPAN 0x200000ull  /* reserved: nothing else maps here */
#define RS_SESSION_MAX_PAGES 32
#define RS_MMIO_MAX_PAGES 262144    /* pages of one MMIO window (1 GiB: a bus's hole) */
#define RS_DMA_MAX_PAGES 64  /* pages of one DMA frame (quota create_dma) */
#define RS_ARGS_MAX      1023 /* bytes of a task's argument string (from its spawner
                                 or its boot module line) */
