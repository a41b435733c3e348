/* Kernel micro-benchmarks, run as the root task by scripts/bench.py. Each prints
 * one line: "bench: NAME samples=S mean=M min=A max=B var=V" in guest TSC ticks per
 * operation (instructions under QEMU -icount shift=0). A sample is the mean of a
 * batch of operations, so the timer read is amortised. Rows ending in _overhead
 * run the same loop with SYSCALL replaced by NOP: the user-side cost, which the
 * kernel-path figures (as sel4bench reports them) subtract. */
#include "bench.h"
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { EP = 10, SERVER = 11, NTFN = 12, STACK = 13, WAITER = 14, IRQ = 15, PORTS = 16,
       INOTE = 17, EP_BUF = 18, SRV_BUF = 19, EP_SAVE = 20, SRV_SAVE = 21, CF_EP = 22,
       CF_SRV = 23, CF_GO = 24, CF_DONE = 25, CF_THREAD = 26, EP_SES = 27, SRV_SES = 28 };

#define SAMPLES 200
#define BATCH 50
#define CF_SAMPLES 20
#define COM2 0x2F8

struct stats {
    uint64_t n, sum, min, max, sumsq;
};

static void add(struct stats *s, uint64_t v)
{
    if (!s->n || v < s->min) s->min = v;
    if (v > s->max) s->max = v;
    s->n++;
    s->sum += v;
    s->sumsq += v * v;
}

static void print(const char *name, const struct stats *s)
{
    uint64_t mean = s->sum / s->n;
    rs_printf("bench: %s samples=%lu mean=%lu min=%lu max=%lu var=%lu\n", name, s->n, mean,
              s->min, s->max, s->sumsq / s->n - mean * mean);
}

/* Runs BODY BATCH times per sample, SAMPLES samples; prints NAME. */
#define MEASURE(name, body) do {                                                    \
        struct stats s_ = { 0 };                                                    \
        for (int i_ = 0; i_ < SAMPLES; i_++) {                                      \
            uint64_t t0_ = bench_tsc();                                             \
            for (int j_ = 0; j_ < BATCH; j_++) { body; }                            \
            add(&s_, (bench_tsc() - t0_) / BATCH);                                  \
        }                                                                           \
        print(name, &s_);                                                           \
    } while (0)

static void null_syscall(void)
{
    MEASURE("null_syscall", bench_nop());
    MEASURE("null_syscall_overhead", bench_nop_dummy());
}

/* Spawns bench_srv.elf with `args` into task slot `task`, serving endpoint ep. */
static void start_server(uint64_t ep, uint64_t task, const char *args)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, ep, 0));
    CHECK(spawn_args("bench_srv.elf", task, 1 << 20, 20, args) != 0);
    CHECK_OK(rs_invoke4(task, RS_OP_TASK_GIVE_CAP, ep, 8, RS_RIGHT_READ, 0));
    CHECK_OK(rs_invoke4(task, RS_OP_TASK_START, 0, 0, 0, 0));
}

static void ipc_round_trip(void)
{
    start_server(EP, SERVER, 0);
    uint64_t w = 0;
    for (int i = 0; i < 1000; i++)          /* warm up */
        w = bench_call(EP, w);
    MEASURE("ipc_call_reply", w = bench_call(EP, w));
    CHECK(w == 1000 + SAMPLES * BATCH);
    /* The same round trip's user side: the client's call and the server's
     * reply-receive, each with its SYSCALL replaced by a NOP. */
    MEASURE("ipc_call_reply_overhead",
            w = bench_ipc_dummy(RS_SYS_CALL, EP, 1, w, RS_TIMEOUT_FOREVER);
            w = bench_ipc_dummy(RS_SYS_REPLY_RECV, EP, 0, w + 1, RS_TIMEOUT_FOREVER));
    MEASURE("ipc_call_bounded", w = bench_ipc_t(RS_SYS_CALL, EP, 1, w, 1000));
    /* The same round trip through a capability with a session region: the call
     * maps it into the server, the reply unmaps it (one page). */
    start_server(EP_SES, SRV_SES, "session");
    uint64_t pages = 0;
    w = bench_call(EP_SES, 0);
    CHECK_OK(rs_endpoint_session_info(EP_SES, &pages));
    CHECK(pages == 1);
    for (int i = 0; i < 1000; i++)
        w = bench_call(EP_SES, w);
    MEASURE("ipc_call_session", w = bench_call(EP_SES, w));
}

/* A call carrying n bytes each way through the buffer (6 register words too). */
static uint64_t buffer_call(uint64_t n)
{
    static uint8_t out[RS_BUFFER_MAX], in[RS_BUFFER_MAX];
    struct rs_ipc_extra x = { .send_buf = (uint64_t)out, .send_len = n,
                              .recv_buf = (uint64_t)in, .recv_max = sizeof in };
    struct rs_regs r = { .slot = EP_BUF, .info = 1 | RS_MSG_BUFFER,
                         .timeout = RS_TIMEOUT_FOREVER, .extra = &x };
    uint64_t e = rs_syscall(RS_SYS_CALL, &r);
    return e ? e : x.recv_len != n;
}

static void ipc_slow_paths(void)
{
    uint64_t bad = 0;
    start_server(EP_BUF, SRV_BUF, "buffer");
    buffer_call(0);
    MEASURE("ipc_buffer_80", bad |= buffer_call(80));
    MEASURE("ipc_buffer_4096", bad |= buffer_call(4096));
    CHECK(bad == 0);
    start_server(EP_SAVE, SRV_SAVE, "save");
    uint64_t w = 0;
    for (int i = 0; i < 10; i++)
        w = bench_call(EP_SAVE, w);
    MEASURE("ipc_reply_save", w = bench_call(EP_SAVE, w));
    CHECK(w == 10 + SAMPLES * BATCH);
}

static volatile uint64_t woke_at;

/* Higher-priority thread: records when each wait returns. */
static void waiter(void *unused)
{
    (void)unused;
    for (;;) {
        rs_wait(NTFN, 0, RS_TIMEOUT_FOREVER);
        woke_at = bench_tsc();
    }
}

static volatile uint64_t cf_returned_at, cf_error;

/* Calls the holding server; the call ends when the server dies. */
static void capfault_client(void *unused)
{
    (void)unused;
    for (;;) {
        rs_wait(CF_GO, 0, RS_TIMEOUT_FOREVER);
        struct rs_regs r = { .slot = CF_EP, .info = 1, .timeout = RS_TIMEOUT_FOREVER };
        uint64_t e = rs_syscall(RS_SYS_CALL, &r);
        cf_returned_at = bench_tsc();
        cf_error = e;
        rs_signal(CF_DONE, 1);
    }
}

static void notification_latency(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACK, 8));
    CHECK_OK(rs_invoke4(STACK, RS_OP_FRAME_MAP, 0x30000000, RS_MAP_WRITE, 0, 0));
    CHECK_OK(rs_thread_create(waiter, 0, 0x30004000, 20, WAITER));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, CF_GO, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, CF_DONE, 0));
    CHECK_OK(rs_thread_create(capfault_client, 0, 0x30008000, 20, CF_THREAD));
    CHECK_OK(rs_invoke4(RS_SLOT_THREAD, RS_OP_THREAD_SET_PRIORITY, 10, 0, 0, 0));
    struct stats s = { 0 };
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = bench_tsc();
        rs_signal(NTFN, 1);         /* the waiter (priority 20) runs before this returns */
        add(&s, woke_at - t0);
    }
    CHECK(s.max < 1000000);
    print("notification_latency", &s);
}

/* From the destroy of a server holding a call to the caller's capability fault
 * (the caller runs at a higher priority, so it runs as soon as it is woken). */
static void capfault_delivery(void)
{
    struct stats s = { 0 };
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, CF_EP, 0));
    for (int i = 0; i < CF_SAMPLES; i++) {
        CHECK(spawn_args("bench_srv.elf", CF_SRV, 1 << 20, 10, "hold") != 0);
        CHECK_OK(rs_invoke4(CF_SRV, RS_OP_TASK_GIVE_CAP, CF_EP, 8, RS_RIGHT_READ, 0));
        CHECK_OK(rs_invoke4(CF_SRV, RS_OP_TASK_START, 0, 0, 0, 0));
        rs_sleep(2);                /* the server waits on the endpoint */
        rs_signal(CF_GO, 1);        /* the client calls; the server holds the call */
        rs_sleep(2);
        uint64_t t0 = bench_tsc();
        rs_invoke4(CF_SRV, RS_OP_TASK_DESTROY, 0, 0, 0, 0);
        CHECK_OK(rs_wait(CF_DONE, 0, 1000));
        CHECK(cf_error == RS_E_CAPFAULT);
        add(&s, cf_returned_at - t0);
        CHECK_OK(rs_cap_delete(CF_SRV));
    }
    print("capfault_delivery", &s);
}

static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* From the write that makes COM2 raise IRQ 3 to the handler thread running. */
static void irq_latency(void)
{
    uint64_t a[6] = { 3, IRQ }, p[6] = { COM2, 8, PORTS };
    CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, a));
    CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IOPORTS, p));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, INOTE, 0));
    CHECK_OK(rs_invoke4(IRQ, RS_OP_IRQ_BIND, INOTE, 1, 0, 0));
    CHECK_OK(rs_invoke4(PORTS, RS_OP_IOPORTS_ENABLE, 0, 0, 0, 0));
    outb(COM2 + 3, 0x03);
    struct stats s = { 0 };
    for (int i = 0; i <= SAMPLES; i++) {
        uint64_t t0 = bench_tsc();
        if (i)
            outb(COM2, 'x');
        else
            outb(COM2 + 1, 0x02);   /* the first interrupt comes from enabling */
        if (rs_wait(INOTE, 0, 1000))
            break;
        uint64_t t1 = bench_tsc();
        (void)inb(COM2 + 2);
        rs_invoke4(IRQ, RS_OP_IRQ_ACK, 0, 0, 0, 0);
        if (i)
            add(&s, t1 - t0);
    }
    outb(COM2 + 1, 0);
    CHECK(s.n == SAMPLES);
    print("irq_to_user", &s);
}

int main(void)
{
    null_syscall();
    ipc_round_trip();
    ipc_slow_paths();
    notification_latency();
    capfault_delivery();
    irq_latency();
    return check_done("bench");
}
