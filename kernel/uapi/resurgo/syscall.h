/* The Resurgo system-call ABI (x86-64, SYSCALL instruction).
 *
 * The calls and what their registers mean are listed in calls.tbl.
 *
 *   in:  RAX number, RDI slot (or first argument), RSI info/op,
 *        RDX R10 R8 R9 R12 R13 message words 0-5 (or arguments),
 *        R14 timeout in milliseconds (RS_TIMEOUT_*), RBX pointer to struct rs_ipc_extra
 *   out: RAX error (RS_OK = 0), RDI badge (receive) or slot (capability fault),
 *        RSI info (receive) or object kind (capability fault), RDX..R13 words 0-5
 *   RCX and R11 are clobbered by SYSCALL/SYSRET; every other register is preserved.
 *
 * Message info (RSI): bits 0-31 label, bit 32 RS_MSG_BUFFER (extra carries a buffer),
 * bit 33 RS_MSG_CAP (extra carries a capability), bit 34 RS_MSG_SESSION (received
 * only: set by the kernel), bits 48-63 a request id; other bits are dropped. */
#pragma once
#include <stdint.h>

#include <resurgo/calls.h>      /* RS_SYS_*: generated from calls.tbl */

#define RS_TIMEOUT_POLL    0ull
#define RS_TIMEOUT_FOREVER (~0ull)

#define RS_MSG_WORDS  6
#define RS_MSG_BUFFER (1ull << 32)
#define RS_MSG_CAP    (1ull << 33)
#define RS_MSG_ID_SHIFT 48          /* bits 48-63: the caller's request id, passed to the
                                       server untouched (libsys's exactly-once calls) */
#define RS_MSG_ID_MASK (0xFFFFull << RS_MSG_ID_SHIFT)
#define RS_MSG_ID(info) ((uint16_t)((info) >> RS_MSG_ID_SHIFT))
#define RS_MSG_SESSION (1ull << 34)  /* received: the call's session region is mapped
                                        at RS_SESSION_WINDOW until it is answered */
#define RS_MSG_LABEL(info) ((uint32_t)(info))
#define RS_BUFFER_MAX 4096

/* Where a message's optional buffer and capability are described (RBX). The sender
 * fills send_*; a receiver fills recv_* before receiving and the kernel writes
 * recv_len and recv_cap_received on delivery. */
struct rs_ipc_extra {
    uint64_t send_buf, send_len;      /* bytes to send (at most RS_BUFFER_MAX) */
    uint64_t recv_buf, recv_max;      /* where received bytes go */
    uint64_t recv_len;                /* out: bytes received */
    uint32_t send_cap;                /* slot whose capability is transferred */
    uint32_t recv_cap;                /* empty slot for a received capability */
    uint32_t recv_cap_received;       /* out: 1 when a capability arrived */
    uint32_t reserved;
};

/* Labels the kernel uses for messages it sends on a task's behalf. A user call or
 * send with a label in [RS_LABEL_KERNEL_FIRST, RS_LABEL_KERNEL_LAST] is refused
 * (RS_E_INVAL): notices cannot be forged. */
#define RS_LABEL_KERNEL_FIRST 0xFFFF0000u
#define RS_LABEL_KERNEL_LAST  0xFFFF000Fu
#define RS_LABEL_FAULT 0xFFFF0001u    /* a task faulted (see fault words below) */
#define RS_LABEL_EXIT  0xFFFF0002u    /* a task exited; word 1 = status */
#define RS_LABEL_NOTIFY 0xFFFF0003u   /* a receive ended by the thread's bound
                                         notification; word 0 = its bits, badge 0 */

/* Fault message words: 0 task id, 1 reason (RS_FAULT_*), 2 vector (low 32 bits) and
 * error code (high 32 bits), 3 address (CR2, or the bad system-call number), 4 RIP,
 * 5 the TSC when the fault was taken (so a supervisor can measure how long the
 * notice took to reach it). The badge is the one set with RS_OP_TASK_SET_SUPERVISOR.
 * Replying resumes the task; destroying it is final. Exit message words: 0 task id,
 * 1 status, 2 the TSC at the exit. */
#define RS_FAULT_VECTOR(w2) ((w2) & 0xFFFFFFFFu)
#define RS_FAULT_ERROR(w2)  ((w2) >> 32)
enum rs_fault_reason {
    RS_FAULT_EXCEPTION = 1,   /* CPU exception; vector says which */
    RS_FAULT_PAGE = 2,        /* page fault; address = CR2 */
    RS_FAULT_SYSCALL = 3,     /* unknown system-call number */
    RS_FAULT_BREAKPOINT = 4,  /* int3; address = the int3 instruction */
    RS_FAULT_STEP = 5,        /* single step (RFLAGS.TF); address = the next RIP */
    RS_FAULT_DMA = 6,         /* its PCI device tried DMA outside what the task granted
                                 (the IOMMU refused it); address = where, error = the
                                 function (bus << 8 | device << 3 | function) */
};

/* Registers of a thread as a debugger reads and writes them (RS_OP_TASK_DEBUG_*).
 * Segment registers are not included: they are always the user selectors. */
struct rs_debug_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags, fs_base;
};

#define RS_DEBUG_ALL_THREADS (~0ull)
#define RS_DEBUG_MAX_COPY    4096

/* Longest kernel-log write (debug_write): bytes, less one. */
#define RS_LOG_WRITE_MAX     512

/* Thread states RS_OP_TASK_DEBUG_THREAD reports. */
enum rs_thread_state {
    RS_THREAD_INACTIVE = 0, RS_THREAD_RUNNABLE = 1, RS_THREAD_BLOCKED = 2,
    RS_THREAD_SLEEPING = 3, RS_THREAD_STOPPED = 4, RS_THREAD_DEAD = 5,
};
