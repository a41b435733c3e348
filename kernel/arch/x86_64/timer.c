/* PIT channel 0 in rate-generator mode at TIMER_HZ. */
#include "cpu.h"
#include "pic.h"
#include "timer.h"
#include "trap.h"
#include "../../sched.h"

#define PIT_HZ 1193182u

static volatile uint64_t ticks;

static void timer_irq(unsigned irq, struct trap_frame *f)
{
    (void)irq;
    (void)f;
    ticks++;
    sched_tick();
}

void timer_init(void)
{
    uint16_t divisor = PIT_HZ / TIMER_HZ;
    outb(0x43, 0x34);           /* channel 0, lobyte/hibyte, mode 2 */
    outb(0x40, divisor & 0xFF);
    outb(0x40, divisor >> 8);
    trap_set_irq_handler(0, timer_irq);
    pic_unmask(0);
}

uint64_t timer_ticks(void)
{
    return ticks;
}
