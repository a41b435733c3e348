/* Operations of RS_SYS_INVOKE, per object kind (RSI). Arguments are message words
 * a0..a5 (RDX R10 R8 R9 R12 R13); results come back in the same registers. Every
 * operation decodes and checks all arguments before it changes anything. */
#pragma once

enum rs_op {
    /* quota (MANAGE) */
    RS_OP_QUOTA_CREATE = 1,       /* a0 kind, a1 dst slot, a2 size -> new object;
                                     size = pages for a frame, bytes for a quota */
    RS_OP_QUOTA_INFO,             /* -> a0 limit bytes, a1 used bytes */
    /* task (MANAGE) */
    RS_OP_TASK_START = 16,        /* makes its threads runnable */
    RS_OP_TASK_DESTROY,           /* kills it and every object it owns */
    RS_OP_TASK_SET_SUPERVISOR,    /* a0 endpoint slot (WRITE), a1 badge */
    RS_OP_TASK_GIVE_CAP,          /* a0 my slot, a1 its slot, a2 rights, a3 badge */
    RS_OP_TASK_THREAD_CREATE,     /* a0 entry, a1 stack, a2 priority, a3 dst slot,
                                     a4 argument (in RDI of the new thread) */
    RS_OP_TASK_INFO,              /* -> a0 id, a1 state, a2..a5 name (32 bytes) */
    RS_OP_TASK_RESUME,            /* resumes a task stopped by a fault */
    /* thread (MANAGE) */
    RS_OP_THREAD_SET_PRIORITY = 32, /* a0 priority, at most the caller's */
    /* irq (MANAGE) */
    RS_OP_IRQ_BIND = 48,          /* a0 notification slot (WRITE), a1 bits */
    RS_OP_IRQ_ACK,                /* unmasks the line after a notification */
    RS_OP_IRQ_UNBIND,
    /* ioports (MANAGE) */
    RS_OP_IOPORTS_ENABLE = 64,    /* lets this task use IN/OUT on the range */
    RS_OP_IOPORTS_INFO,           /* -> a0 first port, a1 count */
    /* frame (READ and/or WRITE) */
    RS_OP_FRAME_MAP = 80,         /* a0 user address, a1 RS_MAP_* flags */
    RS_OP_FRAME_UNMAP,
    RS_OP_FRAME_INFO,             /* -> a0 pages, a1 mapped address or 0 */
    /* platform (MANAGE) */
    RS_OP_PLATFORM_IRQ = 96,      /* a0 line (1-15), a1 dst slot */
    RS_OP_PLATFORM_IOPORTS,       /* a0 first port, a1 count, a2 dst slot */
    RS_OP_PLATFORM_MMIO,          /* a0 physical address, a1 pages, a2 dst slot */
    RS_OP_PLATFORM_SPAWN,         /* a0 module index, a1 quota slot, a2 bytes,
                                     a3 dst task slot, a4 priority -> a0 task id */
    RS_OP_PLATFORM_MODULE,        /* a0 index -> a1 size, a2..a5 name (32 bytes) */
};

#define RS_MAP_WRITE 1u
#define RS_MAP_EXEC  2u

#define RS_PRIORITIES 32          /* 0 lowest .. 31 highest */

enum rs_task_state {
    RS_TASK_NEW = 0, RS_TASK_RUNNING = 1, RS_TASK_FAULTED = 2, RS_TASK_DEAD = 3,
};
