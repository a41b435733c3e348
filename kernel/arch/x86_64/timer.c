/* PIT channel 0 in rate-generator mode at TIMER_HZ, and the TSC measured by it. */
#include "cpu.h"
#include "pic.h"
#include "timer.h"
#include "trap.h"
#include "../../console.h"
#include "../../sched.h"
#include "../../iommu.h"

#define PIT_HZ 1193182u
#define PIT_DIVISOR ((PIT_HZ + TIMER_HZ / 2) / TIMER_HZ)    /* 1193: 1000.15 Hz */
#define CALIBRATION_TICKS 5

#define IOMMU_POLL_TICKS 5

static volatile uint64_t ticks;
static uint64_t tsc_hz;

static void timer_irq(unsigned irq, struct trap_frame *f)
{
    (void)irq;
    (void)f;
    ticks++;
    if (ticks % IOMMU_POLL_TICKS == 0)
        iommu_poll();               /* DMA faults: a driver's failure, soon after */
    sched_tick();
}

void timer_init(void)
{
    outb(0x43, 0x34);           /* channel 0, lobyte/hibyte, mode 2 */
    outb(0x40, PIT_DIVISOR & 0xFF);
    outb(0x40, PIT_DIVISOR >> 8);
    trap_set_irq_handler(0, timer_irq);
    pic_unmask(0);
}

/* TSC ticks over CALIBRATION_TICKS PIT periods, each exactly PIT_DIVISOR / PIT_HZ s. */
void timer_calibrate(void)
{
    uint64_t start = ticks;
    while (ticks == start)
        cpu_hlt();
    uint64_t t0 = rdtsc(), first = ticks;
    while (ticks < first + CALIBRATION_TICKS)
        cpu_hlt();
    uint64_t dt = rdtsc() - t0;
    tsc_hz = dt * PIT_HZ / ((uint64_t)CALIBRATION_TICKS * PIT_DIVISOR);
    kprintf("timer: PIT at %u Hz (1 ms ticks), TSC %lu kHz\n", PIT_HZ / PIT_DIVISOR,
            tsc_hz / 1000);
}

uint64_t timer_ticks(void)
{
    return ticks;
}

uint64_t timer_tsc_hz(void)
{
    return tsc_hz;
}
