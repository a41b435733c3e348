/* Kernel micro-benchmarks, run as the root task by scripts/bench.py. Each prints
 * one line: "bench: NAME samples=S mean=M min=A max=B var=V" in guest TSC ticks per
 * operation (instructions under QEMU -icount shift=0). A sample is the mean of a
 * batch of operations, so the timer read is amortised. */
#include "bench.h"
#include <rs_libc.h>
#include "check.h"

enum { EP = 10, SERVER = 11, NTFN = 12, STACK = 13, WAITER = 14, IRQ = 15, PORTS = 16,
       INOTE = 17 };

#define SAMPLES 200
#define BATCH 50
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

static void null_syscall(void)
{
    struct stats s = { 0 };
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = bench_tsc();
        for (int j = 0; j < BATCH; j++)
            bench_nop();
        add(&s, (bench_tsc() - t0) / BATCH);
    }
    print("null_syscall", &s);
}

static void ipc_round_trip(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0));
    CHECK(spawn("bench_srv.elf", SERVER, 1 << 20, 20) != 0);
    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_GIVE_CAP, EP, 8, RS_RIGHT_READ, 0));
    CHECK_OK(rs_invoke4(SERVER, RS_OP_TASK_START, 0, 0, 0, 0));
    uint64_t w = 0;
    for (int i = 0; i < 1000; i++)          /* warm up */
        w = bench_call(EP, w);
    struct stats s = { 0 };
    for (int i = 0; i < SAMPLES; i++) {
        uint64_t t0 = bench_tsc();
        for (int j = 0; j < BATCH; j++)
            w = bench_call(EP, w);
        add(&s, (bench_tsc() - t0) / BATCH);
    }
    CHECK(w == 1000 + SAMPLES * BATCH);
    print("ipc_call_reply", &s);
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

static void notification_latency(void)
{
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACK, 4));
    CHECK_OK(rs_invoke4(STACK, RS_OP_FRAME_MAP, 0x30000000, RS_MAP_WRITE, 0, 0));
    CHECK_OK(rs_thread_create(waiter, 0, 0x30004000, 20, WAITER));
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
    notification_latency();
    irq_latency();
    return check_done("bench");
}
