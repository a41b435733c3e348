/* The saved register state on every interrupt, exception and (later) system call
 * entry, and the dispatcher that isr.asm calls. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};
_Static_assert(offsetof(struct trap_frame, rip) == 17 * 8, "entry.asm FRAME_RIP");
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "entry.asm FRAME_VECTOR");

#define TRAP_IRQ_BASE 32
#define TRAP_IRQ_COUNT 16

/* Called from isr_common with interrupts disabled. trap_from_user gets the
 * current thread's saved context and never returns (it ends in the scheduler);
 * trap_from_kernel handles interrupts in the idle loop and panics on exceptions. */
__attribute__((noreturn)) void trap_from_user(struct trap_frame *f);
void trap_from_kernel(struct trap_frame *f);
/* Double fault (panics, naming a kernel stack overflow when a guard page was hit),
 * NMI (reported and ignored) and machine check (panics: the hardware is at fault),
 * on their own IST stacks, whatever mode they came from. */
void trap_ist(struct trap_frame *f);

/* Name of an exception vector, e.g. "page fault"; "interrupt" for others. */
const char *trap_vector_name(uint64_t vector);

/* Prints every register of f and, for exceptions, what the error code means. */
void trap_print_frame(const struct trap_frame *f);

/* Handler for legacy IRQ line irq (0-15), run before the EOI is sent. */
typedef void (*irq_handler_t)(unsigned irq, struct trap_frame *f);
void trap_set_irq_handler(unsigned irq, irq_handler_t h);
