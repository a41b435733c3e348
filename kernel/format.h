/* The kernel's own small formatted printer (no libc in the kernel). Pure. */
#pragma once
#include <stdarg.h>
#include <stddef.h>

/* Formats into buf (always NUL-terminated when size > 0) and returns the length the
 * full output would have had, like C99 vsnprintf. Supports %d %i %u %x %X %o %p %s %c
 * %%, the length modifiers hh h l ll z, flags '-' '0' '+' ' ' '#', field width and
 * precision (both may be '*'). An unknown conversion is copied out verbatim. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
