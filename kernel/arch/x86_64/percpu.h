/* Per-CPU kernel state, reached through GS in the kernel. Offsets are used by
 * entry.asm: keep them in step (checked below). */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct percpu {
    uint64_t kstack_top;        /* 0: the kernel stack every entry from user starts on */
    uint64_t user_rsp;          /* 8: scratch for SYSCALL entry */
    uint64_t ctx_end;           /* 16: end of the current thread's saved context */
};

_Static_assert(offsetof(struct percpu, kstack_top) == 0, "entry.asm CPU_KSTACK");
_Static_assert(offsetof(struct percpu, user_rsp) == 8, "entry.asm CPU_USER_RSP");
_Static_assert(offsetof(struct percpu, ctx_end) == 16, "entry.asm CPU_CTX_END");

extern struct percpu percpu;

#define SYSCALL_VECTOR 256      /* trap_frame.vector of a context saved by SYSCALL */

/* Sets GS, the SYSCALL MSRs and the kernel stack. */
void percpu_init(uint64_t kstack_top);

/* Where the next entry from user mode saves its registers (end of ctx). */
void percpu_set_context(uint64_t ctx_end);

struct trap_frame;
/* Loads ctx and returns to ring 3 (SYSRET for a context saved by SYSCALL, IRETQ
 * otherwise). Never returns. */
__attribute__((noreturn)) void arch_enter_user(struct trap_frame *ctx);

/* Runs fn on a fresh stack at stack_top; fn must not return. */
__attribute__((noreturn)) void arch_call_on_stack(uint64_t stack_top, void (*fn)(void));
