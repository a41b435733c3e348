/* Root test: time for a single-threaded supervisor. Timer objects fire one-shot
 * and periodic at 1 ms, counted against the kernel's own clock; one thread waits
 * for requests and deadlines at once through a bound notification; sleeps and
 * timeouts of 1 ms wait at least that long; huge sleeps never end early (no wrap);
 * bad arguments are refused. */
#include <rs_invoke.h>
#include <rs_libc.h>
#include "check.h"

enum { TIMER = 10, NTFN = 11, EP = 12, STACKS = 13, T_HUGE = 14, NOWRITE = 20,
       NOMANAGE = 21, T2 = 22, N2 = 23 };

#define STACK_ADDR 0x30000000ull
#define STACK_PAGES 4

static uint64_t fired(uint64_t timer, uint64_t *missed)
{
    uint64_t f = 0, rem = 0, m = 0;
    rs_timer_info(timer, &f, &rem, &m);
    if (missed)
        *missed = m;
    return f;
}

static void one_shot_1ms(void)
{
    uint64_t bits = 0, t0 = rs_time_ms();
    CHECK_OK(rs_timer_set(TIMER, NTFN, 0x4, 1, 0));
    CHECK_OK(rs_wait(NTFN, &bits, 1000));
    uint64_t dt = rs_time_ms() - t0;
    CHECK(bits == 0x4 && dt >= 1);
    rs_sleep(20);
    CHECK(fired(TIMER, 0) == 1);                 /* one-shot: once */
    CHECK_ERR(rs_wait(NTFN, &bits, RS_TIMEOUT_POLL), RS_E_TIMEOUT);
    rs_printf("timer: a 1 ms one-shot fired once, after %lu ms\n", dt);
}

/* A 1 ms periodic timer for 200 ticks: every period is either signalled or
 * counted as missed (a late tick), against the kernel's clock. */
static void periodic_1ms(void)
{
    uint64_t bits, missed = 0, t0 = rs_time_ms(), waits = 0;
    CHECK_OK(rs_timer_set(TIMER, NTFN, 1, 1, 1));
    while (rs_time_ms() - t0 < 200 && waits < 10000) {
        CHECK_OK(rs_wait(NTFN, &bits, 1000));
        waits++;
    }
    CHECK_OK(rs_timer_cancel(TIMER));
    uint64_t elapsed = rs_time_ms() - t0, f = fired(TIMER, &missed);
    CHECK(f + missed + 2 >= elapsed && f + missed <= elapsed + 2);
    CHECK(waits >= 1 && waits <= f);
    uint64_t after = f;
    rs_sleep(10);
    CHECK(fired(TIMER, 0) == after);             /* cancelled: no more */
    rs_printf("timer: a 1 ms periodic timer over %lu ms: %lu fired, %lu missed, %lu wakeups\n",
              elapsed, f, missed, waits);
}

static volatile uint64_t requests_sent;

static void requester(void *arg)
{
    (void)arg;
    for (uint64_t i = 0; i < 20; i++) {
        struct rs_msg m = { .info = 7, .w = { i } };
        if (rs_call(EP, &m, 5000) == 0 && m.w[0] == i * 2)
            requests_sent++;
        rs_sleep(3);
    }
    for (;;)
        rs_sleep(RS_TIMEOUT_FOREVER);
}

/* One thread serves requests and counts 10 ms deadlines, never blocking on either. */
static void single_thread_supervisor(void)
{
    CHECK_OK(rs_thread_bind_notification(RS_SLOT_THREAD, NTFN));
    CHECK_OK(rs_timer_set(TIMER, NTFN, 0x10, 10, 10));
    CHECK_OK(rs_thread_create(requester, 0, STACK_ADDR + STACK_PAGES * 4096, 20, 30));
    uint64_t t0 = rs_time_ms(), ticks = 0, served = 0, badge;
    struct rs_msg m;
    uint64_t e = rs_recv(EP, &m, &badge, 2000);
    while (!e && rs_time_ms() - t0 < 300) {
        if (RS_MSG_LABEL(m.info) == RS_LABEL_NOTIFY) {
            ticks += (m.w[0] & 0x10) != 0;
            e = rs_recv(EP, &m, &badge, 2000);
            continue;
        }
        served++;
        m.w[0] *= 2;
        m.info = 0;
        e = rs_reply_recv(EP, &m, &badge, 2000);
    }
    CHECK_OK(e);
    CHECK_OK(rs_timer_cancel(TIMER));
    CHECK(served == 20 && requests_sent == 20);
    CHECK(ticks >= 20);
    rs_printf("timer: one thread served %lu requests and saw %lu deadlines of 10 ms in %lu ms\n",
              served, ticks, rs_time_ms() - t0);
}

static volatile int huge_returned;

static void huge_sleeper(void *arg)
{
    rs_sleep((uint64_t)arg);
    huge_returned++;
    for (;;)
        rs_sleep(RS_TIMEOUT_FOREVER);
}

/* 2^64-1 (forever), 2^64-2 and 2^63 all mean "longer than anyone waits": none
 * returns early through a wrapped deadline. Short ones wait at least their time. */
static void sleeps_and_timeouts(void)
{
    static const uint64_t huge[] = { ~0ull, ~0ull - 1, 1ull << 63 };
    for (unsigned i = 0; i < 3; i++)
        CHECK_OK(rs_thread_create(huge_sleeper, (void *)huge[i],
                                  STACK_ADDR + (i + 2) * STACK_PAGES * 4096, 20, 24 + i));
    uint64_t t0 = rs_time_ms();
    CHECK_OK(rs_sleep(1));
    uint64_t t1 = rs_time_ms();
    CHECK(t1 - t0 >= 1);
    struct rs_msg m;
    CHECK_ERR(rs_recv(EP, &m, 0, 1), RS_E_TIMEOUT);
    CHECK(rs_time_ms() - t1 >= 1);
    rs_sleep(100);
    CHECK(huge_returned == 0);
    rs_printf("timer: sleep(1) and a 1 ms timeout waited at least 1 ms; sleeps of 2^64-1, "
              "2^64-2 and 2^63 ms did not return\n");
}

static void refused(void)
{
    CHECK_ERR(rs_timer_set(TIMER, NTFN, 0, 5, 0), RS_E_INVAL);
    CHECK_ERR(rs_timer_set(TIMER, NTFN, 1, 0, 0), RS_E_INVAL);
    CHECK_ERR(rs_timer_set(TIMER, NTFN, 1, 1ull << 60, 0), RS_E_RANGE);
    CHECK_ERR(rs_timer_set(TIMER, NTFN, 1, 5, 1ull << 60), RS_E_RANGE);
    CHECK_OK(rs_cap_mint(NTFN, NOWRITE, RS_RIGHT_READ, 0));
    CHECK_ERR(rs_timer_set(TIMER, NOWRITE, 1, 5, 0), RS_E_RIGHTS);
    CHECK_OK(rs_cap_mint(TIMER, NOMANAGE, 0, 0));
    CHECK_ERR(rs_timer_set(NOMANAGE, NTFN, 1, 5, 0), RS_E_RIGHTS);
    /* A timer whose notification dies, and a timer that dies armed: nothing fires. */
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_TIMER, T2, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, N2, 0));
    CHECK_OK(rs_timer_set(T2, N2, 1, 1, 1));
    CHECK_OK(rs_cap_delete(N2));
    rs_sleep(5);
    CHECK(fired(T2, 0) > 0);
    CHECK_OK(rs_timer_set(TIMER, NTFN, 1, 1, 1));
    CHECK_OK(rs_cap_delete(TIMER));
    CHECK_OK(rs_cap_delete(NOMANAGE));
    uint64_t bits;
    rs_wait(NTFN, &bits, RS_TIMEOUT_POLL);
    rs_sleep(5);
    CHECK_ERR(rs_wait(NTFN, &bits, RS_TIMEOUT_POLL), RS_E_TIMEOUT);
    CHECK_OK(rs_cap_delete(T2));
    rs_printf("timer: bad arguments and missing rights refused; dead timers stay silent\n");
}

int main(void)
{
    CHECK(rs_tsc_hz() > 1000000);
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_TIMER, TIMER, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, STACKS, 5 * STACK_PAGES));
    CHECK_OK(rs_frame_map(STACKS, STACK_ADDR, RS_MAP_WRITE));
    one_shot_1ms();
    periodic_1ms();
    single_thread_supervisor();
    sleeps_and_timeouts();
    refused();
    return check_done("timer");
}
