/* System-call dispatch and the helpers every system-call handler uses. */
#pragma once
#include <stdint.h>
#include "cap.h"
#include "thread.h"

/* Entry from entry.asm with the caller's saved context; never returns. */
__attribute__((noreturn)) void syscall_dispatch(struct trap_frame *ctx);

/* Looks up `slot` in th's cspace. On failure writes the error to th's RAX (for a
 * capability fault also RDI = slot, RSI = kind) and returns it. */
err_t sys_cap(struct thread *th, uint64_t slot, unsigned type, uint32_t rights,
              struct cap **out);

/* Writes a result code to th's RAX; returns it. */
static inline err_t sys_result(struct thread *th, err_t e)
{
    th->ctx.rax = e;
    return e;
}

/* Argument registers of the ABI (uapi/resurgo/syscall.h). */
#define SYS_SLOT(th)    ((th)->ctx.rdi)
#define SYS_INFO(th)    ((th)->ctx.rsi)
#define SYS_A0(th)      ((th)->ctx.rdx)
#define SYS_A1(th)      ((th)->ctx.r10)
#define SYS_A2(th)      ((th)->ctx.r8)
#define SYS_A3(th)      ((th)->ctx.r9)
#define SYS_A4(th)      ((th)->ctx.r12)
#define SYS_A5(th)      ((th)->ctx.r13)
#define SYS_TIMEOUT(th) ((th)->ctx.r14)
#define SYS_EXTRA(th)   ((th)->ctx.rbx)
