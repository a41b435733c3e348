/* Root test of the server framework: dispatch by label, unknown labels refused,
 * heartbeats answered by the framework, a deferred reply, the crash request
 * honoured only from badge 0, and the fresh-start and restart init callbacks. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_server.h>
#include "check.h"

enum { EP = 10, SRV = 11, BADGED = 12, EP2 = 13, SRV2 = 14, HELPER = 15, STACK = 16 };

static volatile uint64_t later_result, later_word;

static void later_caller(void *arg)
{
    (void)arg;
    struct rs_msg m = { .info = 3 };
    later_result = rs_call(BADGED, &m, RS_TIMEOUT_FOREVER) + 1;
    later_word = m.w[0];
    for (;;)
        rs_sleep(100000);
}

/* The same module twice: the second time the spawner passes incarnation=2. */
static uint64_t start(const char *args, uint64_t ep, uint64_t task)
{
    uint64_t id = spawn_args("fwsrv.elf", task, 1 << 20, 10, args);
    CHECK(id != 0);
    CHECK_OK(rs_task_give_cap(task, ep, 8, RS_RIGHT_READ, 0));
    CHECK_OK(rs_task_start(task));
    return id;
}

static uint64_t call(uint64_t ep, uint32_t label, uint64_t a, uint64_t b, uint64_t *w0)
{
    struct rs_msg m = { .info = label, .w = { a, b } };
    uint64_t e = rs_call(ep, &m, 2000);
    *w0 = m.w[0];
    return e ? e : RS_MSG_LABEL(m.info);
}

int main(void)
{
    uint64_t w = 0;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP2, 0));
    CHECK_OK(rs_cap_mint(EP, BADGED, RS_RIGHT_WRITE, 5));
    start(0, EP, SRV);
    start("incarnation=2", EP2, SRV2);

    CHECK_OK(call(BADGED, 1, 40, 2, &w));
    CHECK(w == 42);
    CHECK_ERR(call(BADGED, 9, 0, 0, &w), RS_E_NOSYS);
    CHECK_ERR(call(BADGED, 0, 0, 0, &w), RS_E_NOSYS);
    CHECK_OK(call(BADGED, RS_LABEL_HEARTBEAT, 0, 0, &w));
    CHECK(w == 1);
    CHECK_OK(call(BADGED, RS_LABEL_HEARTBEAT, 0, 0, &w));
    CHECK(w == 2);
    rs_printf("server: dispatch, unknown labels and heartbeats behave\n");

    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACK, 4));
    CHECK_OK(rs_frame_map(STACK, 0x30000000, RS_MAP_WRITE));
    CHECK_OK(rs_thread_create(later_caller, 0, 0x30004000, 10, HELPER));
    rs_sleep(30);
    CHECK(later_result == 0);               /* still waiting for its deferred reply */
    CHECK_OK(call(BADGED, 1, 1, 1, &w));    /* the next request releases it */
    rs_sleep(30);
    CHECK(later_result == 1 && later_word == 77);
    rs_printf("server: a deferred reply was answered later\n");

    CHECK_ERR(call(BADGED, RS_LABEL_CRASH, 0, 0, &w), RS_E_NOSYS);  /* badge 5: refused */
    CHECK_OK(call(EP2, 2, 0, 0, &w));
    CHECK(w == 2);
    CHECK_OK(call(BADGED, 2, 0, 0, &w));
    CHECK(w == 1);
    rs_printf("server: fresh start and restart run their own init\n");

    struct rs_regs r = { .slot = EP, .info = RS_LABEL_CRASH, .timeout = 2000 };
    CHECK_ERR(rs_syscall(RS_SYS_CALL, &r), RS_E_CAPFAULT);   /* badge 0: it crashes */
    rs_printf("server: a crash request from badge 0 crashed the server\n");
    return check_done("server");
}
