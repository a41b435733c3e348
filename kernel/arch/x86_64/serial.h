/* The kernel's early serial console on COM1 (polled). User-mode drivers own the
 * UART later; the kernel keeps this path for boot messages and panics only. */
#pragma once

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned long n);
