/* isa-debug-exit writer (see qemu_exit.h). */
#include "cpu.h"
#include "qemu_exit.h"

void qemu_exit(enum qemu_exit_code code)
{
    outl(0xF4, code);
}
