/* Root test: tasks that supervise themselves. One exits, one faults; each notice
 * goes to an endpoint the stopped task itself owns (its parent made it the
 * supervisor: the task's own capability cannot). The kernel must neither panic
 * nor hang, and destroying the tasks must give back their memory. */
#include <rs_invoke.h>
#include "check.h"

enum { T1 = 10, T2 = 11, BOOT = 12, CHILD_EP = 13 };

static uint64_t quota_used(void)
{
    uint64_t used = 0;
    rs_quota_info(RS_SLOT_QUOTA, 0, &used);
    return used;
}

static void run(const char *args, uint64_t slot, const char *what)
{
    uint64_t before = quota_used(), state = 0;
    CHECK(spawn_args("selfsup.elf", slot, 512 * 1024, 10, args) != 0);
    CHECK_OK(rs_task_give_cap(slot, BOOT, 8, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 0));
    CHECK_OK(rs_task_start(slot));
    struct rs_ipc_extra x = { .recv_cap = CHILD_EP };
    struct rs_msg m;
    CHECK_OK(rs_recv_x(BOOT, &m, 0, 5000, &x));
    CHECK(x.recv_cap_received == 1);
    CHECK_OK(set_supervisor(slot, CHILD_EP, 1));
    CHECK_OK(rs_cap_delete(CHILD_EP));
    m.info = 0;
    CHECK_OK(rs_reply(&m));
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
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, BOOT, 0));
    run("exit", T1, "exits");
    run("fault", T2, "faults");
    return check_done("selfsup");
}
