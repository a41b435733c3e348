/* Kernel panic: for broken kernel invariants and kernel-mode exceptions only, never
 * for anything a user task can cause. Prints a report and ends QEMU with status 37. */
#pragma once

struct trap_frame;

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* As panic(), with the register state of an exception or interrupt. */
__attribute__((noreturn, format(printf, 2, 3)))
void panic_frame(const struct trap_frame *f, const char *fmt, ...);

/* Assertion of a kernel invariant: panics with "function: reason" when false. */
#define kassert(cond, why) \
    do { if (!(cond)) panic("%s: %s (%s)", __func__, why, #cond); } while (0)
