/* kprintf: format into a bounded buffer, then write to the serial console. */
#include <stdarg.h>
#include "console.h"
#include "format.h"
#include "arch/x86_64/serial.h"
#include "uapi/resurgo/syscall.h"

int kprintf(const char *fmt, ...)
{
    char buf[RS_LOG_WRITE_MAX + 128];   /* a task's longest log write and its prefix */
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    unsigned long len = n < (int)sizeof buf ? (unsigned long)n : sizeof buf - 1;
    serial_write(buf, len);
    return n;
}
