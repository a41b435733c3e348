/* Per-CPU kernel state, reached through GS in the kernel. Offsets are used by
 * entry.asm: keep them in step (checked below). */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct percpu {
    uint64_t kstack_top;        /* 0: the kernel stack every entry from user starts on */
    uint64_t user_rsp;          /* 8: scratch for SYSCALL entry */
};

_Static_assert(offsetof(struct percpu, kstack_top) == 0, "entry.asm CPU_KSTACK");
_Static_assert(offsetof(struct percpu, user_rsp) == 8, "entry.asm CPU_USER_RSP");

extern struct percpu percpu;

#define SYSCALL_VECTOR 256      /* trap_frame.vector of a context saved by SYSCALL */

/* Sets GS, the SYSCALL MSRs and the kernel stack. */
void percpu_init(uint64_t kstack_top);


struct trap_frame;
/* Loads ctx and returns to ring 3 (SYSRET for a context saved by SYSCALL, IRETQ
 * otherwise). Never returns. */
__attribute__((noreturn)) void arch_enter_user(struct trap_frame *ctx);

/* Runs fn on a fresh stack at stack_top; fn must not return. */
__attribute__((noreturn)) void arch_call_on_stack(uint64_t stack_top, void (*fn)(void));
