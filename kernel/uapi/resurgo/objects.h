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
    RS_OBJ_COUNT = 11
};

/* Rights. Their meaning per kind:
 *   endpoint:     WRITE send/call, READ receive, GRANT transfer capabilities
 *   notification: WRITE signal, READ wait
 *   frame:        READ map readable, WRITE map writable
 *   reply:        WRITE reply
 *   task, thread, quota, irq, ioports, platform: MANAGE for every operation */
#define RS_RIGHT_READ   1u
#define RS_RIGHT_WRITE  2u
#define RS_RIGHT_GRANT  4u
#define RS_RIGHT_MANAGE 8u
#define RS_RIGHTS_ALL   15u

/* Capability slots every task starts with. */
#define RS_SLOT_NULL     0    /* never holds a capability */
#define RS_SLOT_TASK     1    /* the task itself */
#define RS_SLOT_THREAD   2    /* its first thread */
#define RS_SLOT_QUOTA    3    /* its memory quota */
#define RS_SLOT_PLATFORM 4    /* root task only: the platform */
#define RS_SLOT_FIRST_FREE 8
#define RS_CSPACE_SLOTS  256
