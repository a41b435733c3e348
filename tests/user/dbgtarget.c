/* The debugger test's target: it reports where its layout is (the debugger reads
 * it with debug_read), keeps a second thread made but never started, and then
 * counts forever, calling check_value() through a pointer so that patching that
 * function's code changes what it sees. Slot 8: the test's endpoint; slot 9: a
 * frame it maps read-only. */
#include <rs_invoke.h>
#include <rsys.h>
#include "dbgtarget.h"

#define SHARED_ADDR 0x50000000ull
#define STACK_ADDR  0x30000000ull

volatile uint64_t counter, counter2, changed, landed;

__attribute__((noinline)) static uint64_t check_value(void)
{
    return 42;
}

static uint64_t (*volatile check)(void) = check_value;

/* Where a debugger sends thread 0 by setting its registers: RDI is the argument. */
__attribute__((noinline, noreturn, used)) void landing(uint64_t v)
{
    landed = v;
    for (;;)
        counter++;
}

/* Thread 1: never started by this program. */
__attribute__((noreturn)) static void second(void)
{
    for (;;)
        counter2++;
}

int main(void)
{
    if (rs_frame_map(9, SHARED_ADDR, 0)
        || rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, 10, 4)
        || rs_frame_map(10, STACK_ADDR, RS_MAP_WRITE)
        || rs_task_thread_create(RS_SLOT_TASK, (uint64_t)second, STACK_ADDR + 4 * 4096 - 8,
                                 5, 11, 0))
        return 1;
    static const struct dbg_layout layout = {
        (uint64_t)&counter, (uint64_t)&counter2, (uint64_t)&changed, (uint64_t)&landed,
        (uint64_t)check_value, (uint64_t)landing, SHARED_ADDR,
    };
    struct rs_msg m = { .info = 1, .w = { (uint64_t)&layout } };
    if (rs_call(8, &m, RS_TIMEOUT_FOREVER))
        return 2;
    for (;;) {
        counter++;
        if (check() != 42)
            changed = 1;
    }
}
