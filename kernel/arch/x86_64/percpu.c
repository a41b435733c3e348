/* Per-CPU state and the SYSCALL/SYSRET machine set-up (see percpu.h). */
#include "cpu.h"
#include "gdt.h"
#include "percpu.h"

struct percpu percpu;
extern char syscall_entry[];

void percpu_init(uint64_t kstack_top)
{
    percpu.kstack_top = kstack_top;
    wrmsr(MSR_GS_BASE, (uint64_t)&percpu);
    wrmsr(MSR_KERNEL_GS_BASE, 0);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);                  /* SCE */
    wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_SFMASK, 0x3F7700);    /* on entry: TF IF DF IOPL NT RF VM AC VIF VIP ID clear */
}
