/* Lazy FXSAVE/FXRSTOR switching (see fpu.h). */
#include "cpu.h"
#include "fpu.h"
#include "../../thread.h"

#define CR0_TS (1ull << 3)

/* A clean FXSAVE image: x87 control word 0x37F, MXCSR 0x1F80 (exceptions
 * masked), every register zero. */
static void fpu_initial_state(uint8_t *area)
{
    for (int i = 0; i < 512; i++)
        area[i] = 0;
    area[0] = 0x7F;
    area[1] = 0x03;
    area[24] = 0x80;
    area[25] = 0x1F;
}

struct thread *fpu_owner;
int fpu_ts_set;

void fpu_set_ts(int on)
{
    uint64_t cr0 = read_cr0();
    write_cr0(on ? cr0 | CR0_TS : cr0 & ~CR0_TS);
    fpu_ts_set = on;
}

void fpu_take(struct thread *th)
{
    if (fpu_ts_set)
        fpu_set_ts(0);
    if (fpu_owner == th)
        return;
    if (fpu_owner)
        __asm__ volatile("fxsave64 (%0)" :: "r"(fpu_owner->fpu) : "memory");
    if (!th->fpu_used) {
        fpu_initial_state(th->fpu);             /* zeroed registers: nothing leaks */
        th->fpu_used = 1;
    }
    __asm__ volatile("fxrstor64 (%0)" :: "r"(th->fpu) : "memory");
    fpu_owner = th;
}

void fpu_forget(struct thread *th)
{
    if (fpu_owner == th)
        fpu_owner = 0;
}
