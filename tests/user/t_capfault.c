/* Root test: capability faults. A server task owns its endpoint; a second thread
 * of this task is blocked in a call to it when the server is destroyed, and must be
 * woken with a capability fault naming its slot and the kind of object; a later
 * call faults at once; both differ from "empty slot" and "no right". Finally a
 * new incarnation of the server serves again through a fresh capability. */
#include <rs_capfault.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { BOOT = 10, SERVER = 11, SVC_EP = 12, DONE = 13, STACK = 14, THREAD = 15,
       EMPTY = 40 };

#define STACK_ADDR 0x20000000ull
#define STACK_PAGES 4

static volatile uint64_t blocked_err, blocked_slot, blocked_kind;

/* Second thread: calls the server with HANG, then reports how the call ended. */
static void blocked_caller(void *arg)
{
    uint64_t slot = (uint64_t)arg;
    struct rs_regs r = { .slot = slot, .info = 2, .timeout = RS_TIMEOUT_FOREVER };
    blocked_err = rs_syscall(RS_SYS_CALL, &r);
    blocked_slot = r.slot;
    blocked_kind = r.info;
    rs_signal(DONE, 1);
    for (;;)
        rs_wait(DONE + 100, 0, RS_TIMEOUT_FOREVER);     /* empty slot: returns at once */
}

/* Starts the server, takes the endpoint capability it sends into SVC_EP. */
static void start_server(void)
{
    CHECK(spawn("svc.elf", SERVER, 512 * 1024, 10) != 0);
    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_GIVE_CAP, BOOT, 8, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 0));
    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_START, 0, 0, 0, 0));
    struct rs_ipc_extra x = { .recv_cap = SVC_EP };
    struct rs_msg m;
    CHECK_OK(rs_recv_x(BOOT, &m, 0, 5000, &x));
    CHECK(x.recv_cap_received == 1);
    m.info = 0;
    CHECK_OK(rs_reply(&m));
}

static uint64_t echo(uint64_t v, uint64_t *slot, uint64_t *kind)
{
    struct rs_regs r = { .slot = SVC_EP, .info = 1, .w = { v }, .timeout = 2000 };
    uint64_t e = rs_syscall(RS_SYS_CALL, &r);
    *slot = r.slot;
    *kind = r.info;
    return e ? e : (r.w[0] == v + 1 ? RS_OK : 1000);
}

static void start_blocked_caller(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACK, STACK_PAGES));
    CHECK_OK(rs_invoke4(STACK, RS_OP_FRAME_MAP, STACK_ADDR, RS_MAP_WRITE, 0, 0));
    CHECK_OK(rs_thread_create(blocked_caller, (void *)SVC_EP, STACK_ADDR + STACK_PAGES * 4096,
                              10, THREAD));
    rs_sleep(50);                   /* let it block in the call */
}

/* The capability-fault handler a client library would register: starts a new
 * incarnation of the server and takes its endpoint into the same slot. */
static int restart_server(uint64_t slot, void *ctx)
{
    (void)ctx;
    rs_cap_delete(slot);
    rs_cap_delete(SERVER);
    start_server();
    return 0;
}

/* The server dies between two calls: the generated-stub path (rs_client_call)
 * recovers and the second call succeeds as if nothing happened. */
static void recovered_call(void)
{
    CHECK_OK(rs_capfault_register(SVC_EP, restart_server, 0));
    CHECK_OK(rs_task_destroy(SERVER));
    struct rs_msg m = { .info = 1, .w = { 7 } };
    CHECK_OK(rs_client_call(SVC_EP, &m, 0));
    CHECK(m.w[0] == 8);
    CHECK(rs_capfault_recoveries() == 1);
    rs_printf("capfault: a call across the server's death was recovered and retried\n");
}

int main(void)
{
    uint64_t slot, kind, dead;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, BOOT, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, DONE, 0));
    start_server();
    CHECK_OK(echo(41, &slot, &kind));
    start_blocked_caller();
    CHECK(blocked_err == 0 && blocked_slot == 0);       /* still blocked */

    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_DESTROY, 0, 0, 0, 0));
    CHECK_OK(rs_wait(DONE, 0, 2000));
    CHECK(blocked_err == RS_E_CAPFAULT);
    CHECK(blocked_slot == SVC_EP && blocked_kind == RS_OBJ_ENDPOINT);
    rs_printf("capfault: blocked caller woken with capability fault (slot %lu, kind %lu)\n",
              blocked_slot, blocked_kind);

    CHECK_ERR(echo(1, &slot, &kind), RS_E_CAPFAULT);
    CHECK(slot == SVC_EP && kind == RS_OBJ_ENDPOINT);
    CHECK_OK(rs_cap_info(SVC_EP, &kind, 0, 0, &dead));
    CHECK(dead == 1 && kind == RS_OBJ_ENDPOINT);
    rs_printf("capfault: later caller faults at once (slot %lu, kind %lu)\n", slot, kind);

    struct rs_msg m = { .info = 1 };
    CHECK_ERR(rs_call(EMPTY, &m, RS_TIMEOUT_POLL), RS_E_NOCAP);
    CHECK_OK(rs_cap_mint(BOOT, 41, RS_RIGHT_READ, 0));
    CHECK_ERR(rs_call(41, &m, RS_TIMEOUT_POLL), RS_E_RIGHTS);

    CHECK_OK(rs_cap_delete(SVC_EP));
    CHECK_OK(rs_cap_delete(SERVER));
    start_server();
    CHECK_OK(echo(99, &slot, &kind));
    rs_printf("capfault: a new incarnation serves through a fresh capability\n");
    recovered_call();
    return check_done("capfault");
}
