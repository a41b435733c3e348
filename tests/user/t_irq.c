/* Root test: interrupts in user mode. The task takes IRQ 3 and the ports of COM2
 * (a second 16550 in QEMU), enables the transmitter-empty interrupt and counts the
 * notifications, acknowledging each through the IRQ capability. A line nobody
 * holds is masked; lines the kernel keeps cannot be had. */
#include "check.h"

enum { IRQ = 20, PORTS = 21, NTFN = 22, IRQ_AGAIN = 23 };

#define COM2 0x2F8
#define ROUNDS 100

static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void take_hardware(void)
{
    uint64_t a[6] = { 3, IRQ };
    CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, a));
    uint64_t p[6] = { COM2, 8, PORTS };
    CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IOPORTS, p));
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0));
    CHECK_OK(rs_invoke4(IRQ, RS_OP_IRQ_BIND, NTFN, 1u << 3, 0, 0));
    CHECK_OK(rs_invoke4(PORTS, RS_OP_IOPORTS_ENABLE, 0, 0, 0, 0));
}

static void count_interrupts(void)
{
    outb(COM2 + 3, 0x03);           /* 8N1 */
    outb(COM2 + 1, 0x02);           /* interrupt when the transmitter is empty */
    uint64_t got = 0, tsc_sum = 0;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t bits = 0, t0 = rs_tsc();
        if (i)
            outb(COM2, (uint8_t)('a' + i % 26));
        if (rs_wait(NTFN, &bits, 1000) || bits != (1u << 3))
            break;
        tsc_sum += rs_tsc() - t0;
        (void)inb(COM2 + 2);        /* reading IIR clears the THRE interrupt */
        if (rs_invoke4(IRQ, RS_OP_IRQ_ACK, 0, 0, 0, 0))
            break;
        got++;
    }
    outb(COM2 + 1, 0x00);
    CHECK(got == ROUNDS);
    rs_printf("irq: %lu interrupts on line 3 delivered as notifications, mean %lu TSC ticks "
              "from write to handler\n", got, got ? tsc_sum / got : 0);
}

static void refusals(void)
{
    uint64_t a[6] = { 3, IRQ_AGAIN };
    CHECK_ERR(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, a), RS_E_BUSY);   /* held */
    uint64_t t[6] = { 0, IRQ_AGAIN };
    CHECK_ERR(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, t), RS_E_RANGE);  /* timer */
    uint64_t c[6] = { 16, IRQ_AGAIN };
    CHECK_ERR(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, c), RS_E_RANGE);
    uint64_t p[6] = { 0x40, 4, IRQ_AGAIN };
    CHECK_ERR(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IOPORTS, p), RS_E_BUSY); /* PIT */
    CHECK_ERR(rs_invoke4(IRQ, RS_OP_IRQ_ACK, 0, 0, 0, 0), RS_E_NOENT);  /* nothing pending */
    CHECK_ERR(rs_invoke4(IRQ, RS_OP_IRQ_BIND, PORTS, 1, 0, 0), RS_E_TYPE);
}

static void release_and_retake(void)
{
    CHECK_OK(rs_cap_delete(IRQ));   /* the line is masked again, the object dies */
    uint64_t bits = 0;
    outb(COM2 + 1, 0x02);           /* the device raises the line: nobody hears it */
    CHECK_ERR(rs_wait(NTFN, &bits, 50), RS_E_TIMEOUT);
    outb(COM2 + 1, 0x00);
    uint64_t a[6] = { 3, IRQ_AGAIN };
    CHECK_OK(rs_invoke(RS_SLOT_PLATFORM, RS_OP_PLATFORM_IRQ, a));   /* free to take again */
    rs_printf("irq: a released line notifies nobody and can be taken again\n");
}

int main(void)
{
    take_hardware();
    count_interrupts();
    refusals();
    release_and_retake();
    return check_done("irq");
}
