/* Shared helpers of the user-mode test programs (see check.h). */
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
    int m = rs_module_find(name);
    if (m < 0) {
        rs_printf("spawn: no module %s\n", name);
        return 0;
    }
    uint64_t a[6] = { (uint64_t)m, RS_SLOT_QUOTA, bytes, dst, prio, 0 };
    uint64_t e = rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_SPAWN, a);
    if (e) {
        rs_printf("spawn: %s failed with error %lu\n", name, e);
        return 0;
    }
    return a[0];
}
