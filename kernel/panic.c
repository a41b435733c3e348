/* Panic report and halt (see panic.h). */
#include <stdarg.h>
#include "console.h"
#include "format.h"
#include "panic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu_exit.h"
#include "arch/x86_64/trap.h"

static int panicking;

static __attribute__((noreturn)) void halt_forever(void)
{
    kprintf("*** system halted\n");
    qemu_exit(QEMU_EXIT_PANIC);
    for (;;) {
        cpu_cli();
        cpu_hlt();
    }
}

static __attribute__((noreturn)) void vpanic(const struct trap_frame *f, void *caller,
                                             const char *fmt, va_list ap)
{
    cpu_cli();
    if (panicking++) {
        kprintf("\n*** KERNEL PANIC while panicking\n");
        halt_forever();
    }
    char msg[256];
    fmt_vsnprintf(msg, sizeof msg, fmt, ap);
    kprintf("\n*** KERNEL PANIC: %s\n", msg);
    if (f)
        trap_print_frame(f);
    else
        kprintf("    called from %p\n", caller);
    halt_forever();
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic(0, __builtin_return_address(0), fmt, ap);
}

void panic_frame(const struct trap_frame *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vpanic(f, 0, fmt, ap);
}
