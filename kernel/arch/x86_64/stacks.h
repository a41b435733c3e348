/* The kernel's stacks (boot.asm): the one kernel stack and the IST stacks of the
 * double fault, NMI and machine check, each above an unmapped guard page. */
#pragma once
#include <stdint.h>

extern char kstack_guard[], boot_stack_top[];
extern char df_stack_guard[], df_stack_top[];
extern char nmi_stack_guard[], nmi_stack_top[];
extern char mc_stack_guard[], mc_stack_top[];

/* The name of the stack whose guard page holds va, or NULL. */
static inline const char *stack_guard_name(uint64_t va)
{
    static const struct { char *guard; const char *name; } g[] = {
        { kstack_guard, "kernel stack" }, { df_stack_guard, "double-fault stack" },
        { nmi_stack_guard, "NMI stack" }, { mc_stack_guard, "machine-check stack" },
    };
    for (unsigned i = 0; i < sizeof g / sizeof g[0]; i++)
        if (va >= (uint64_t)g[i].guard && va < (uint64_t)g[i].guard + 4096)
            return g[i].name;
    return 0;
}
