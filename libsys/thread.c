/* Threads for components: each gets its own C-library thread block (errno, the
 * stack-protector canary) before any of its C code runs. */
#include <stdlib.h>
#include <rsys.h>
#include <rs_invoke.h>
#include "rs_libc.h"

struct start {
    void (*fn)(void *);
    void *arg;
    uint8_t *block;
};

/* The new thread's first code: no stack protector until its FS base is set. */
__attribute__((no_stack_protector, noreturn)) static void trampoline(struct start *s)
{
    rs_set_fsbase((uint64_t)s->block);
    s->fn(s->arg);
    for (;;)
        rs_sleep(1000000);
}

uint64_t rs_thread_create(void (*fn)(void *), void *arg, uint64_t stack_top,
                          unsigned prio, uint64_t thread_slot)
{
    static unsigned next_tid = 2;
    uint8_t *block = aligned_alloc(16, RS_THREAD_BLOCK_SIZE);
    struct start *s = malloc(sizeof *s);
    if (!block || !s) {
        free(block);
        free(s);
        return RS_E_NOMEM;
    }
    rs_thread_block_init(block, rs_canary(), next_tid++);
    *s = (struct start){ fn, arg, block };
    uint64_t e = rs_task_thread_create(RS_SLOT_TASK, (uint64_t)trampoline,
                                       (stack_top & ~15ull) - 8, prio, thread_slot,
                                       (uint64_t)s);
    if (!e)
        e = rs_task_start(RS_SLOT_TASK);
    return e;
}
