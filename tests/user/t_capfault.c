/* Root test: capability faults that tell the truth. A server task owns its
 * endpoint. The three ways a call can fail to be answered are produced on purpose
 * and told apart by what the kernel returns:
 *   1. not delivered: the caller was queued when the endpoint died, or invoked it
 *      after (RS_CAPFAULT_NOT_DELIVERED, kind endpoint, the endpoint's id);
 *   2. delivered, the server died before replying (RS_CAPFAULT_DELIVERED, the kind
 *      and id of what died: the server thread, or its saved reply);
 *   3. the server is alive but dropped the reply (RS_E_DROPPED, no capability fault).
 * Then libsys acts on them: a call never delivered is recovered and retried, an
 * idempotent one that was delivered too, a non-idempotent one that was delivered
 * returns RS_E_UNKNOWN and runs once; recovery replaces the slot only on success
 * and survives a failing first attempt. */
#include <rs_capfault.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { BOOT = 10, SERVER = 11, SVC_EP = 12, SUP = 13, STACKS = 14, FRESH = 15,
       NOTES = 16, THREADS = 20, EMPTY = 40 };
enum { ECHO = 1, HANG = 2, DROP = 3, DIE = 4 };

#define STACK_ADDR 0x20000000ull
#define STACK_PAGES 4

struct outcome {
    uint64_t err, slot, kind, phase, id;
};

/* A raw call with every register the kernel reports on failure. */
static struct outcome call(uint64_t slot, uint32_t label, uint64_t w0, uint64_t timeout)
{
    struct rs_regs r = { .slot = slot, .info = label, .w = { w0 }, .timeout = timeout };
    struct outcome o = { .err = rs_syscall(RS_SYS_CALL, &r) };
    o.slot = r.slot, o.kind = r.info, o.phase = r.w[0], o.id = r.w[1];
    if (!o.err && label == ECHO && r.w[0] != w0 + 1)
        o.err = 1000;
    return o;
}

/* Two caller threads: each waits on its `go` notification, makes one call with
 * its label, records the outcome and signals `done`. */
struct caller {
    uint64_t go, done;
    volatile uint32_t label;
    volatile struct outcome o;
};
static struct caller callers[2];

static void caller_thread(void *arg)
{
    struct caller *c = arg;
    for (;;) {
        rs_wait(c->go, 0, RS_TIMEOUT_FOREVER);
        struct outcome o = call(SVC_EP, c->label, 0, RS_TIMEOUT_FOREVER);
        c->o.err = o.err, c->o.slot = o.slot, c->o.kind = o.kind;
        c->o.phase = o.phase, c->o.id = o.id;
        rs_signal(c->done, 1);
    }
}

static void start_callers(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACKS, 2 * STACK_PAGES));
    CHECK_OK(rs_invoke4(STACKS, RS_OP_FRAME_MAP, STACK_ADDR, RS_MAP_WRITE, 0, 0));
    for (unsigned i = 0; i < 2; i++) {
        callers[i].go = NOTES + 2 * i;
        callers[i].done = NOTES + 2 * i + 1;
        CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, callers[i].go, 0));
        CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, callers[i].done, 0));
        uint64_t top = STACK_ADDR + (i + 1) * STACK_PAGES * 4096;
        CHECK_OK(rs_thread_create(caller_thread, &callers[i], top, 10, THREADS + i));
    }
}

/* Lets caller i make its call with `label`; it blocks there (we sleep meanwhile). */
static void let_call(unsigned i, uint32_t label)
{
    callers[i].o.err = ~0ull;
    callers[i].label = label;
    rs_signal(callers[i].go, 1);
    rs_sleep(30);
}

static const volatile struct outcome *ended(unsigned i)
{
    CHECK_OK(rs_wait(callers[i].done, 0, 2000));
    return &callers[i].o;
}

/* Starts the server and takes the endpoint capability it sends into slot ep. */
static int start_server(uint64_t ep)
{
    rs_cap_delete(SERVER);
    if (!spawn("svc.elf", SERVER, 512 * 1024, 10)
        || rs_task_give_cap(SERVER, BOOT, 8, RS_RIGHT_WRITE | RS_RIGHT_GRANT, 0)
        || rs_task_start(SERVER))
        return -1;
    struct rs_ipc_extra x = { .recv_cap = (uint32_t)ep };
    struct rs_msg m;
    if (rs_recv_x(BOOT, &m, 0, 5000, &x) || !x.recv_cap_received)
        return -1;
    m.info = 0;
    return rs_reply(&m) ? -1 : 0;
}

/* A new server, its endpoint in SVC_EP. */
static void fresh_server(void)
{
    CHECK(start_server(FRESH) == 0);
    rs_cap_delete(SVC_EP);
    CHECK_OK(rs_cap_move(FRESH, SVC_EP));
}

/* Cases 1 and 2 at once: the server receives caller 0's call and faults (it has a
 * supervisor that does not answer, so it stays stopped holding the call); caller 1
 * queues on the endpoint, which nobody receives on now. The server is destroyed. */
static void not_delivered_and_delivered(void)
{
    uint64_t ep_id = 0;
    fresh_server();
    CHECK_OK(rs_cap_id(SVC_EP, &ep_id));
    CHECK_OK(set_supervisor(SERVER, SUP, 0));
    let_call(0, DIE);
    let_call(1, ECHO);
    CHECK_OK(rs_task_destroy(SERVER));
    const volatile struct outcome *q = ended(1), *d = ended(0);
    CHECK(q->err == RS_E_CAPFAULT && q->slot == SVC_EP && q->kind == RS_OBJ_ENDPOINT);
    CHECK(q->phase == RS_CAPFAULT_NOT_DELIVERED && q->id == ep_id);
    rs_printf("capfault: a caller queued on the dying endpoint: not delivered (phase %lu, "
              "kind %lu, id %lu = the endpoint's)\n", q->phase, q->kind, q->id);
    CHECK(d->err == RS_E_CAPFAULT && d->phase == RS_CAPFAULT_DELIVERED);
    CHECK(d->kind == RS_OBJ_THREAD && d->id != ep_id);
    rs_printf("capfault: a caller whose server died holding its call: delivered, outcome "
              "unknown (phase %lu, kind %lu = thread, id %lu)\n", d->phase, d->kind, d->id);
    struct outcome o = call(SVC_EP, ECHO, 1, RS_TIMEOUT_POLL);
    CHECK(o.err == RS_E_CAPFAULT && o.phase == RS_CAPFAULT_NOT_DELIVERED && o.id == ep_id);
    rs_printf("capfault: later caller faults at once (slot %lu, kind %lu), not delivered\n",
              o.slot, o.kind);
}

/* Case 2 through a saved reply: the server keeps the call (reply-save) and dies. */
static void delivered_saved_reply(void)
{
    fresh_server();
    let_call(0, HANG);
    CHECK_OK(rs_task_destroy(SERVER));
    const volatile struct outcome *d = ended(0);
    CHECK(d->err == RS_E_CAPFAULT && d->phase == RS_CAPFAULT_DELIVERED);
    CHECK(d->kind == RS_OBJ_REPLY && d->slot == SVC_EP);
    rs_printf("capfault: blocked caller woken with capability fault (slot %lu, kind %lu): "
              "delivered, its saved reply died with the server\n", d->slot, d->kind);
}

/* Case 3: a live server drops the reply. */
static void dropped_by_live_server(void)
{
    fresh_server();
    struct outcome o = call(SVC_EP, DROP, 0, 2000);
    CHECK(o.err == RS_E_DROPPED && o.phase == RS_CAPFAULT_DELIVERED);
    CHECK(call(SVC_EP, ECHO, 7, 2000).err == 0);     /* alive, serving */
    rs_printf("capfault: a live server that drops the reply: error %d (dropped), not a "
              "capability fault; it still serves\n", RS_E_DROPPED);
}

static int handler_runs, handler_failures_left;

/* The handler a client library would register: a new incarnation, its endpoint
 * into the fresh slot libsys gives. It can be told to fail first. */
static int restart_server(uint64_t fresh, void *ctx)
{
    (void)ctx;
    handler_runs++;
    if (handler_failures_left) {
        handler_failures_left--;
        return -1;
    }
    return start_server(fresh);
}

static uint64_t client_call(uint32_t label, unsigned flags, uint64_t *w0)
{
    struct rs_msg m = { .info = label, .w = { *w0 } };
    uint64_t e = rs_client_call(SVC_EP, &m, 0, flags);
    *w0 = m.w[0];
    return e;
}

/* libsys: what it retries, and how recovery behaves. */
static void libsys_recovery(void)
{
    uint64_t w = 7, old_id = 0, new_id = 0;
    CHECK_OK(rs_capfault_register(SVC_EP, restart_server, 0));
    CHECK_OK(rs_cap_id(SVC_EP, &old_id));
    CHECK_OK(rs_task_destroy(SERVER));
    handler_failures_left = 1;                   /* the first attempt fails */
    CHECK_OK(client_call(ECHO, 0, &w));
    CHECK(w == 8 && handler_runs == 2 && rs_capfault_recoveries() == 1);
    CHECK_OK(rs_cap_id(SVC_EP, &new_id));
    CHECK(new_id != old_id);
    rs_printf("capfault: not delivered: recovered (after one failed attempt, backing off) "
              "and retried; endpoint id %lu -> %lu\n", old_id, new_id);

    w = 0;
    CHECK_ERR(client_call(DIE, 0, &w), RS_E_UNKNOWN);
    CHECK(rs_capfault_recoveries() == 1);        /* not retried, so not recovered yet */
    w = 9;
    CHECK_OK(client_call(ECHO, 0, &w));          /* the next call recovers */
    CHECK(w == 10 && rs_capfault_recoveries() == 2);
    rs_printf("capfault: delivered, not idempotent: outcome unknown returned, run once\n");

    w = 0;
    uint64_t before = rs_capfault_recoveries();
    CHECK_ERR(client_call(DIE, RS_CALL_IDEMPOTENT, &w), RS_E_CAPFAULT);
    CHECK(rs_capfault_recoveries() > before);    /* idempotent: retried (and it dies
                                                    again each time, so it gives up) */
    rs_printf("capfault: delivered, idempotent: retried after recovery (%lu recoveries)\n",
              rs_capfault_recoveries() - before);
    CHECK_OK(rs_capfault_register(SVC_EP, 0, 0));
}

int main(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, BOOT, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, SUP, 0));
    start_callers();
    not_delivered_and_delivered();
    delivered_saved_reply();
    dropped_by_live_server();

    struct rs_msg m = { .info = 1 };
    CHECK_ERR(rs_call(EMPTY, &m, RS_TIMEOUT_POLL), RS_E_NOCAP);
    CHECK_OK(rs_cap_mint(BOOT, 41, RS_RIGHT_READ, 0));
    CHECK_ERR(rs_call(41, &m, RS_TIMEOUT_POLL), RS_E_RIGHTS);
    rs_printf("capfault: an empty slot and a missing right are other errors\n");

    libsys_recovery();
    return check_done("capfault");
}
