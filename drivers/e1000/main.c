/* The e1000 driver (QEMU -device e1000: 8086:100e). It holds what the PCI server
 * gave it for its own device (BAR0, the registers) and one DMA frame it granted
 * the device, with both descriptor rings and every packet buffer: the device is
 * told no other address. It serves the Ethernet protocol (<proto/ether.h>) on its
 * endpoint, published as "ether", polling the rings (interrupts stay masked).
 *
 * Recovery: each incarnation resets the chip (CTRL.RST) before anything else and
 * builds fresh rings, so frames a dead incarnation left in the rings are gone, as
 * on a wire that lost them; the stats say what this incarnation dropped. A send
 * is at most once: its progress is marked just before the tail write gives the
 * frame to the device, and a retried send that finds it marked is answered
 * without sending again. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_io.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "e1000.h"
#include "../ether/ether_driver.h"

enum { BAR = RS_GIVEN_FIRST_FREE, DMA, DEVDMA };

#define REGS_VA 0x600000000ull
#define DMA_VA  0x610000000ull
#define RINGS   4096                /* the rings' page; buffers follow */
#define RX_BUFS RINGS
#define TX_BUFS (RX_BUFS + RX_RING * BUF_SIZE)
#define DMA_PAGES ((TX_BUFS + TX_RING * BUF_SIZE) / 4096)
#define RESET_MS 100
#define TX_WAIT_MS 100

static volatile uint8_t *regs;
static uint8_t *dma;
static uint64_t bus;                /* the DMA frame's bus address */
static volatile struct e1000_rx *rx;
static volatile struct e1000_tx *tx;
static unsigned rx_next, tx_next;
static uint64_t mac;

static uint32_t rd(unsigned r) { return mmio_read32(regs + r); }
static void wr(unsigned r, uint32_t v) { mmio_write32(regs + r, v); }

/* Waits at most ms for bit of register r to be (set ? 1 : 0). */
static int wait_bit(unsigned r, uint32_t bit, int set, uint64_t ms)
{
    uint64_t until = rs_time_ms() + ms;
    while (!!(rd(r) & bit) != set)
        if (rs_time_ms() >= until)
            return -1;
    return 0;
}

static int link_up(void)
{
    return (rd(E1000_STATUS) & STATUS_LU) ? 1 : 0;
}

/* The next transmit descriptor, once the device is done with it (bounded). */
static volatile struct e1000_tx *tx_slot(void)
{
    volatile struct e1000_tx *d = &tx[tx_next];
    uint64_t until = rs_time_ms() + TX_WAIT_MS;
    while (d->cmd && !(d->status & TX_DD)) {
        if (rs_time_ms() >= until)
            rs_panic("the transmit ring is stuck (descriptor %u)", tx_next);
        rs_yield();
    }
    return d;
}

static void transmit(const uint8_t *frame, size_t n, void (*mark)(uint64_t *),
                     uint64_t *progress)
{
    volatile struct e1000_tx *d = tx_slot();
    if (rs_copy_checked(dma + TX_BUFS + tx_next * BUF_SIZE, frame, n))
        rs_panic("a frame to send was copied wrong");    /* not sent: sent again */
    d->addr = bus + TX_BUFS + tx_next * BUF_SIZE;
    d->length = (uint16_t)n;
    d->status = 0;
    d->cmd = TX_EOP | TX_IFCS | TX_RS;
    tx_next = (tx_next + 1) % TX_RING;
    io_barrier();
    mark(progress);
    wr(E1000_TDT, tx_next);
}

/* The next received frame; descriptors the device marked done but that do not
 * hold one whole frame of a sane length are given back and counted as dropped. */
static size_t receive(uint8_t *out)
{
    for (;;) {
        volatile struct e1000_rx *d = &rx[rx_next];
        if (!(d->status & RX_DD))
            return 0;
        io_barrier();
        uint16_t len = d->length;
        int whole = (d->status & RX_EOP) && len >= ETHER_HEADER && len <= ETHER_MAX;
        if (whole && rs_copy_checked(out, dma + RX_BUFS + rx_next * BUF_SIZE, len))
            whole = 0;              /* a copy gone wrong: dropped, never handed out */
        d->status = 0;
        wr(E1000_RDT, rx_next);     /* the buffer is the device's again */
        rx_next = (rx_next + 1) % RX_RING;
        if (whole)
            return len;
        rs_ether_dropped();
    }
}

static int more(void)
{
    return (rx[rx_next].status & RX_DD) ? 1 : 0;
}

static void setup_rings(void)
{
    rx = (volatile struct e1000_rx *)dma;
    tx = (volatile struct e1000_tx *)(dma + RX_RING * sizeof(struct e1000_rx));
    for (unsigned i = 0; i < RX_RING; i++)
        rx[i] = (struct e1000_rx){ .addr = bus + RX_BUFS + i * BUF_SIZE };
    wr(E1000_RDBAL, (uint32_t)bus);
    wr(E1000_RDBAH, (uint32_t)(bus >> 32));
    wr(E1000_RDLEN, RX_RING * sizeof(struct e1000_rx));
    wr(E1000_RDH, 0);
    wr(E1000_RDT, RX_RING - 1);
    uint64_t txa = bus + RX_RING * sizeof(struct e1000_rx);
    wr(E1000_TDBAL, (uint32_t)txa);
    wr(E1000_TDBAH, (uint32_t)(txa >> 32));
    wr(E1000_TDLEN, TX_RING * sizeof(struct e1000_tx));
    wr(E1000_TDH, 0);
    wr(E1000_TDT, 0);
    rx_next = tx_next = 0;
}

#define RCTL_OURS (RCTL_EN | RCTL_BAM | RCTL_SECRC)     /* 2048-byte buffers */
#define TCTL_OURS (TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD)

/* Whether the chip is as an earlier incarnation of this driver left it: receive
 * and transmit configured as we configure them, link up. Anything else (a first
 * start, a chip a corrupted driver misprogrammed) gets a full reset. */
static int as_we_left_it(void)
{
    return rd(E1000_RCTL) == RCTL_OURS && rd(E1000_TCTL) == TCTL_OURS
           && (rd(E1000_STATUS) & STATUS_LU);
}

/* The chip reset (CTRL.RST): every register to its default. QEMU's model then
 * holds received frames back for a second after RCTL is written (a workaround
 * for another guest), so a restart that can avoid it does (bring_up). */
static uint64_t reset_chip(void)
{
    wr(E1000_CTRL, rd(E1000_CTRL) | CTRL_RST);
    if (wait_bit(E1000_CTRL, CTRL_RST, 0, RESET_MS))
        return RS_E_TIMEOUT;
    wr(E1000_CTRL, rd(E1000_CTRL) | CTRL_SLU | CTRL_ASDE);
    return 0;
}

/* Brings the chip up with fresh rings in the granted DMA frame: after a full reset
 * on a first start or when the chip is not as we configure it, else (a restart)
 * with the rings replaced under a configuration we checked. Either way nothing of
 * the dead incarnation's rings is used again: the PCI server turned bus mastering
 * off when this incarnation opened the device, so the device did no DMA since,
 * and it gets it back only once the new rings are in place. */
static uint64_t bring_up(int *reset)
{
    wr(E1000_IMC, 0xFFFFFFFFu);
    *reset = !as_we_left_it();
    if (*reset) {
        uint64_t e = reset_chip();
        if (e)
            return e;
    }
    wr(E1000_IMC, 0xFFFFFFFFu);
    (void)rd(E1000_ICR);
    for (unsigned i = 0; i < 128; i++)
        wr(E1000_MTA + 4 * i, 0);
    uint32_t lo = rd(E1000_RAL0), hi = rd(E1000_RAH0);
    mac = lo | (uint64_t)(hi & 0xFFFF) << 32;
    setup_rings();
    uint64_t e = rs_pci_bus_master(1);
    if (e)
        return e;
    if (*reset) {
        wr(E1000_RCTL, RCTL_OURS);
        wr(E1000_TCTL, TCTL_OURS);
        wr(E1000_TIPG, TIPG_DEFAULT);
    }
    return 0;
}

static int start(uint64_t *mac_out)
{
    struct rs_pci_device d;
    int fenced = 0;
    uint64_t e = rs_pci_open(0, &d);
    if (!e)
        e = rs_pci_map_bar(0, BAR, REGS_VA, &regs, 0);
    if (!e)
        e = rs_pci_dma_frame(DEVDMA, DMA, DMA_PAGES, DMA_VA, &bus, &fenced);
    dma = (uint8_t *)DMA_VA;
    int reset = 0;
    if (!e)
        e = bring_up(&reset);
    if (e) {
        rs_error("cannot take the e1000: %s", rs_error_name(e));
        return 1;
    }
    rs_info("e1000 %02x:%02x.%x: link %s, %u+%u descriptors, %s; DMA %s", d.bdf >> 8,
            (d.bdf >> 3) & 31, d.bdf & 7, (rd(E1000_STATUS) & STATUS_LU) ? "up" : "down",
            RX_RING, TX_RING, reset ? "chip reset" : "rings replaced",
            fenced ? "fenced by the IOMMU" : "not fenced (no IOMMU): trusted");
    *mac_out = mac;
    return 0;
}

int main(void)
{
    static const struct rs_ether_device e1000 = {
        .name = "e1000", .start = start, .transmit = transmit, .receive = receive,
        .more = more, .link = link_up,
    };
    return rs_ether_driver_run(&e1000);
}
