/* User-mode faults: a CPU exception, a page fault or an unknown system call stops
 * the task and becomes a message to its supervisor (or, without one, its end). */
#pragma once
#include <stdint.h>

struct thread;

/* Reports the fault on the console, suspends th's task and sends the fault message
 * (uapi/resurgo/syscall.h) from th to the supervisor endpoint. Never returns. */
__attribute__((noreturn)) void fault_raise(struct thread *th, unsigned reason,
                                           uint64_t vector, uint64_t addr, uint64_t error);

/* From arch_enter_user: the context about to be entered has a RIP outside user
 * space (which SYSRET or IRETQ would fault on in ring 0). It becomes a general
 * protection fault of the thread, reported with the bad RIP as the address. */
struct trap_frame;
__attribute__((noreturn)) void arch_bad_user_rip(struct trap_frame *f);
