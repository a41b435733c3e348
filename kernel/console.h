/* Kernel console output (the early serial path). */
#pragma once

/* Formats like printf (see format.h) and writes to the serial console. Lines longer
 * than 511 characters are cut. Safe with interrupts on or off. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
