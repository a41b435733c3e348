/* A task supervised through an endpoint it owns itself (served by a second
 * thread), for the kernel's edge cases: argument "exit" exits, "fault" crashes.
 * Either way its notice goes to an endpoint of its own, in a task that is stopped.
 * A task cannot name its own supervisor (its capability to itself lacks
 * SUPERVISE), so it hands the endpoint to its parent over slot 8 and the parent
 * makes it the supervisor before answering. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rsys.h>

enum { BOOT = 8, EP = 9, STACK = 10, HELPER = 11 };

static void serve(void *arg)
{
    (void)arg;
    struct rs_msg m;
    for (;;) {
        if (!rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER)) {
            m.info = 0;
            rs_reply(&m);           /* answering its own task's notice */
        }
    }
}

int main(int argc, char **argv)
{
    struct rs_ipc_extra x = { .send_cap = EP };
    struct rs_msg m = { .info = 1 | RS_MSG_CAP };
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)
        || rs_task_set_supervisor(RS_SLOT_TASK, EP) != RS_E_RIGHTS
        || rs_call_x(BOOT, &m, RS_TIMEOUT_FOREVER, &x)
        || rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACK, 4)
        || rs_frame_map(STACK, 0x30000000, RS_MAP_WRITE)
        || rs_thread_create(serve, 0, 0x30004000, 5, HELPER))
        return 2;
    rs_sleep(20);                   /* the helper waits on the endpoint now */
    if (argc > 1 && !strcmp(argv[1], "fault"))
        __builtin_trap();
    return 0;
}
