/* Shared helpers of the user-mode test programs (see check.h). */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

int check_failures, check_count;

int check_done(const char *name)
{
    if (check_failures || !check_count) {
        rs_printf("TEST %s FAILED: %d of %d checks failed\n", name, check_failures,
                  check_count);
        return 1;
    }
    rs_printf("TEST %s PASSED (%d checks)\n", name, check_count);
    return 0;
}

uint64_t spawn(const char *name, uint64_t dst, uint64_t bytes, uint64_t prio)
{
    return spawn_args(name, dst, bytes, prio, 0);
}

uint64_t spawn_args(const char *name, uint64_t dst, uint64_t bytes, uint64_t prio,
                    const char *args)
{
    uint64_t tid = 0, e = rs_spawn(name, RS_SLOT_QUOTA, bytes, dst, (unsigned)prio, args, &tid);
    if (e) {
        rs_printf("spawn: %s failed with error %lu\n", name, e);
        return 0;
    }
    return tid;
}

uint64_t set_supervisor(uint64_t task, uint64_t ep, uint64_t badge)
{
    uint64_t tmp = rs_slot_alloc();
    uint64_t e = rs_cap_mint(ep, tmp, RS_RIGHT_WRITE, badge);
    if (!e)
        e = rs_task_set_supervisor(task, tmp);
    rs_cap_delete(tmp);
    rs_slot_free(tmp);
    return e;
}
