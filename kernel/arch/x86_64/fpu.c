/* Lazy FXSAVE/FXRSTOR switching (see fpu.h). */
#include "cpu.h"
#include "fpu.h"
#include "../../thread.h"

#define CR0_TS (1ull << 3)

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
    if (th->fpu_used) {
        __asm__ volatile("fxrstor64 (%0)" :: "r"(th->fpu) : "memory");
    } else {
        uint32_t mxcsr = 0x1F80;                /* all exceptions masked */
        __asm__ volatile("fninit; ldmxcsr %0" :: "m"(mxcsr));
        th->fpu_used = 1;
    }
    fpu_owner = th;
}

void fpu_forget(struct thread *th)
{
    if (fpu_owner == th)
        fpu_owner = 0;
}
