/* Root test: object lifetime. A dead incarnation's memory comes back at its death
 * even while clients hold stale capabilities to its objects (1,000 kill-and-
 * respawn cycles, the quota's `used` the same after each); an object handed to a
 * quota outlives its creator; ownership cascades thousands deep (tasks owning
 * tasks, a chain of supervisors with pending notices) are destroyed without
 * recursion; a revoke bigger than one batch is restarted until done. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { BOOT = 10, SERVER = 11, EP = 12, KEEPER = 13, ECHO = 14, A = 15, B = 16, C = 17,
       STALE_FIRST = 100, STALE_COUNT = 100 };

#define CYCLES 1000
#define CHAIN 1000
#define ROOT_PRIO 28                /* ours: a task started at it runs when we yield */

static uint64_t quota_used(void)
{
    uint64_t used = 0;
    rs_quota_info(RS_SLOT_QUOTA, 0, &used);
    return used;
}

/* Starts svc.elf (with `args`) and takes the endpoint it sends into slot ep. */
static int start_server(const char *args, uint64_t ep)
{
    if (!spawn_args("svc.elf", SERVER, 512 * 1024, 10, args)
        || rs_task_give_cap(SERVER, BOOT, 8, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 0)
        || (args && rs_task_give_cap(SERVER, KEEPER, 10, RS_RIGHT_MANAGE, 0))
        || rs_task_start(SERVER))
        return 0;
    struct rs_ipc_extra x = { .recv_cap = (uint32_t)ep };
    struct rs_msg m;
    if (rs_recv_x(BOOT, &m, 0, 5000, &x) || !x.recv_cap_received)
        return 0;
    m.info = 0;
    return rs_reply(&m) == 0;
}

static int echo_ok(uint64_t ep, uint64_t v)
{
    struct rs_msg m = { .info = 1, .w = { v } };
    return rs_call(ep, &m, 2000) == 0 && m.w[0] == v + 1;
}

/* Each cycle leaves a stale endpoint capability behind (the last 100 are kept). */
static void memory_back_at_death(void)
{
    uint64_t before = quota_used(), differed = 0, dead = 0, kind = 0;
    int ok = 1;
    for (unsigned i = 0; i < CYCLES && ok; i++) {
        uint64_t stale = STALE_FIRST + i % STALE_COUNT;
        rs_cap_delete(stale);
        ok = start_server(0, stale) && echo_ok(stale, i);
        ok &= rs_task_destroy(SERVER) == 0 && rs_cap_delete(SERVER) == 0;
        ok &= rs_cap_info(stale, &kind, 0, 0, &dead) == 0 && dead == 1 && kind == RS_OBJ_ENDPOINT;
        differed += quota_used() != before;
    }
    CHECK(ok);
    CHECK(differed == 0);
    rs_printf("lifetime: %d kill-and-respawn cycles, %d stale capabilities held, quota used "
              "%lu bytes before and %lu after every cycle (%lu differed)\n", CYCLES, STALE_COUNT,
              before, quota_used(), differed);
    for (unsigned i = 0; i < STALE_COUNT; i++)
        CHECK_OK(rs_cap_delete(STALE_FIRST + i));
}

/* The server hands its endpoint to a quota: it outlives the server, a second
 * server serves it, clients keep the same capability; the quota's death ends it. */
static void outlives_creator(void)
{
    uint64_t before = quota_used(), dead = 1, id1 = 0, id2 = 0;
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_QUOTA, KEEPER, 64 * 1024));
    CHECK(start_server("adopt", EP));
    CHECK(echo_ok(EP, 1));
    CHECK_OK(rs_task_destroy(SERVER));
    CHECK_OK(rs_cap_delete(SERVER));
    CHECK_OK(rs_cap_info(EP, 0, 0, 0, &dead));
    CHECK(dead == 0);
    struct rs_msg m = { .info = 1 };
    CHECK_ERR(rs_call(EP, &m, RS_TIMEOUT_POLL), RS_E_TIMEOUT);     /* nobody serves yet */
    CHECK(spawn("echo.elf", ECHO, 1 << 20, 10) != 0);
    CHECK_OK(rs_task_give_cap(ECHO, EP, 8, RS_RIGHT_READ, 0));
    CHECK_OK(rs_task_start(ECHO));
    CHECK(echo_ok(EP, 41));
    rs_printf("lifetime: an endpoint adopted by a quota outlived its server; a new server "
              "answers through the same capability\n");
    CHECK_OK(rs_cap_id(EP, &id1));
    CHECK_ERR(rs_quota_adopt(KEEPER, BOOT), RS_E_INVAL);    /* older than the quota */
    CHECK_ERR(rs_quota_adopt(KEEPER, RS_SLOT_QUOTA), RS_E_RIGHTS);   /* not ours to give */
    CHECK_ERR(rs_quota_destroy(RS_SLOT_QUOTA), RS_E_BUSY);           /* our own: in use */
    CHECK_OK(rs_quota_destroy(KEEPER));
    CHECK_OK(rs_cap_info(EP, 0, 0, 0, &dead));
    CHECK(dead == 1);
    CHECK_OK(rs_cap_id(EP, &id2));
    CHECK(id1 == id2 && id1 != 0);          /* a tombstone still names the dead object */
    CHECK_OK(rs_task_destroy(ECHO));
    uint64_t slots[] = { ECHO, EP, KEEPER };
    for (unsigned i = 0; i < 3; i++)
        CHECK_OK(rs_cap_delete(slots[i]));
    CHECK(quota_used() == before);
    rs_printf("lifetime: destroying the quota killed the endpoint (id %lu kept in the "
              "tombstone); quota back to %lu bytes\n", id1, quota_used());
}

/* Tasks owning tasks owning tasks ... CHAIN deep, destroyed from the top. */
static void ownership_chain(void)
{
    uint64_t before = quota_used();
    int ok = spawn("spin.elf", A, 256 * 1024, 5) != 0;
    CHECK_OK(rs_cap_copy(A, C));                    /* keep the top */
    for (unsigned i = 1; i < CHAIN && ok; i++) {
        ok = spawn("spin.elf", B, 256 * 1024, 5) != 0;
        ok &= rs_task_adopt(A, B) == 0;             /* B now dies with A */
        ok &= rs_cap_delete(A) == 0 && rs_cap_move(B, A) == 0;
    }
    CHECK(ok);
    CHECK_ERR(rs_task_adopt(A, C), RS_E_INVAL);     /* older: no ownership cycles */
    CHECK_OK(rs_cap_delete(A));
    uint64_t built = quota_used();
    CHECK_OK(rs_task_destroy(C));
    CHECK_OK(rs_cap_delete(C));
    CHECK(quota_used() == before);
    rs_printf("lifetime: a chain of %d tasks each owning the next (%lu KiB) destroyed from "
              "the top; quota back to %lu bytes\n", CHAIN, (built - before) / 1024, quota_used());
}

/* T1 is supervised through an endpoint owned by T2, T2 through one owned by T3 ...;
 * every task faulted at once, so every endpoint has a notice pending. Destroying
 * the last task kills its endpoint, which ends the task waiting there, and so on
 * down the chain. */
static void supervisor_chain(void)
{
    uint64_t before = quota_used();
    int ok = spawn("crash.elf", A, 256 * 1024, ROOT_PRIO) != 0;
    for (unsigned i = 1; i < CHAIN && ok; i++) {
        ok = spawn("crash.elf", B, 256 * 1024, ROOT_PRIO) != 0;
        ok &= rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, C, 0) == 0;
        ok &= rs_task_adopt(B, C) == 0;             /* the endpoint dies with B */
        ok &= rs_task_give_cap(B, C, 8, RS_RIGHT_READ | RS_RIGHT_WRITE, 0) == 0;
        ok &= set_supervisor(A, C, i) == 0 && rs_cap_delete(C) == 0;
        ok &= rs_task_start(A) == 0 && rs_yield() == 0;    /* it runs and faults: its
                                                               notice waits on C */
        ok &= rs_cap_delete(A) == 0 && rs_cap_move(B, A) == 0;
    }
    CHECK(ok);
    CHECK(quota_used() > before);
    CHECK_OK(rs_task_destroy(A));
    CHECK_OK(rs_cap_delete(A));
    CHECK(quota_used() == before);
    rs_printf("lifetime: a chain of %d supervisors with pending fault notices ended by one "
              "destroy; quota back to %lu bytes\n", CHAIN, quota_used());
}

/* A revoke of 232 capabilities, more than one kernel batch: restarted until done. */
static void big_revoke(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, A, 0));
    CHECK_OK(rs_cap_copy(A, 18));
    for (uint64_t s = 19; s < 250; s++)
        CHECK_OK(rs_cap_copy(s - 1, s));
    CHECK_OK(rs_cap_revoke(A));
    uint64_t kind = 0;
    CHECK_ERR(rs_cap_info(249, &kind, 0, 0, 0), RS_E_NOCAP);
    CHECK_ERR(rs_cap_info(18, &kind, 0, 0, 0), RS_E_NOCAP);
    CHECK_OK(rs_cap_info(A, &kind, 0, 0, 0));
    CHECK_OK(rs_cap_delete(A));
    rs_printf("lifetime: a revoke of 232 capabilities in a chain completed across batches\n");
}

int main(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, BOOT, 0));
    memory_back_at_death();
    outlives_creator();
    ownership_chain();
    supervisor_chain();
    big_revoke();
    return check_done("lifetime");
}
