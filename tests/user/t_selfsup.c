/* Root test: tasks that supervise themselves. One exits, one faults; each notice
 * goes to an endpoint the stopped task itself owns. The kernel must neither panic
 * nor hang, and destroying the tasks must give back their memory. */
#include <rs_invoke.h>
#include "check.h"

enum { T1 = 10, T2 = 11 };

static uint64_t quota_used(void)
{
    uint64_t used = 0;
    rs_quota_info(RS_SLOT_QUOTA, 0, &used);
    return used;
}

static void run(const char *module, uint64_t slot, const char *what)
{
    uint64_t before = quota_used(), state = 0;
    CHECK(spawn(module, slot, 512 * 1024, 10) != 0);
    CHECK_OK(rs_task_start(slot));
    rs_sleep(100);
    CHECK_OK(rs_task_info(slot, 0, &state, 0, 0, 0, 0));
    CHECK(state == RS_TASK_DEAD || state == RS_TASK_FAULTED);
    CHECK_OK(rs_task_destroy(slot));
    CHECK_OK(rs_cap_delete(slot));
    CHECK(quota_used() == before);
    rs_printf("selfsup: a task that %s with itself as supervisor was destroyed cleanly\n", what);
}

int main(void)
{
    run("selfsup.elf", T1, "exits");
    run("selfsup2.elf", T2, "faults");
    return check_done("selfsup");
}
