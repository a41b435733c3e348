/* User-mode faults: a CPU exception, a page fault or an unknown system call stops
 * the task and becomes a message to its supervisor (or, without one, its end). */
#pragma once
#include <stdint.h>

struct thread;

/* Reports the fault on the console, suspends th's task and sends the fault message
 * (uapi/resurgo/syscall.h) from th to the supervisor endpoint. Never returns. */
__attribute__((noreturn)) void fault_raise(struct thread *th, unsigned reason,
                                           uint64_t vector, uint64_t addr, uint64_t error);
