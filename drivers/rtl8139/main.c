/* The RTL8139 driver (QEMU -device rtl8139: 10ec:8139), a NIC that writes its
 * receive ring in host memory by DMA. It holds its device's I/O BAR and one DMA
 * frame it granted the device (the ring and four transmit buffers); the device is
 * told no other address, and with the IOMMU (q35) can reach no other memory. It
 * serves the Ethernet protocol (<proto/ether.h>), published as "ether", polling
 * the ring (the chip's interrupts stay masked).
 *
 * The ring is written by the device, so nothing in it is trusted: a frame's
 * header (status and length) is checked before its bytes are read, and one that
 * makes no sense resets the chip rather than send the driver reading past the
 * ring. Recovery: each incarnation resets the chip (CR.RST) and gives it a fresh
 * ring; frames a dead incarnation left in its ring are gone, as on a wire. A send
 * is at most once: its progress is marked just before the store that starts it. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_io.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "rtl8139.h"
#include "../ether/ether_driver.h"

enum { BAR = RS_GIVEN_FIRST_FREE, DMA, DEVDMA };

#define DMA_VA   0x610000000ull
#define RX_PAGES ((RX_RING + RX_SLACK + 4095) / 4096)
#define TX_OFF   (RX_PAGES * 4096)
#define DMA_PAGES (RX_PAGES + TX_SLOTS * TX_BUF / 4096)
#define WAIT_MS  100

static uint16_t io;
static uint8_t *dma;
static uint64_t bus, mac;
static unsigned tx_next;
static uint32_t rx_off;             /* where the next frame's header is */

static uint8_t rd8(unsigned r) { return inb((uint16_t)(io + r)); }
static uint32_t rd32(unsigned r) { return inl((uint16_t)(io + r)); }
static void wr8(unsigned r, uint8_t v) { outb((uint16_t)(io + r), v); }
static void wr16(unsigned r, uint16_t v) { outw((uint16_t)(io + r), v); }
static void wr32(unsigned r, uint32_t v) { outl((uint16_t)(io + r), v); }

static uint64_t reset_chip(void)
{
    wr8(RTL_CONFIG1, 0);            /* powered */
    wr8(RTL_CR, CR_RST);
    uint64_t until = rs_time_ms() + WAIT_MS;
    while (rd8(RTL_CR) & CR_RST)
        if (rs_time_ms() >= until)
            return RS_E_TIMEOUT;
    return 0;
}

/* After reset_chip: the station address, the ring and buffers, then it runs. */
static uint64_t bring_up(void)
{
    uint64_t e;
    uint8_t m[ETHER_ADDR];
    for (int i = 0; i < ETHER_ADDR; i++)
        m[i] = rd8(RTL_IDR0 + i);
    mac = ether_mac_word(m);
    wr16(RTL_IMR, 0);               /* polled */
    wr16(RTL_ISR, 0xFFFF);
    wr32(RTL_RBSTART, (uint32_t)bus);
    for (unsigned i = 0; i < TX_SLOTS; i++)
        wr32(RTL_TSAD0 + 4 * i, (uint32_t)(bus + TX_OFF + i * TX_BUF));
    rx_off = 0;
    tx_next = 0;
    e = rs_pci_bus_master(1);
    if (e)
        return e;
    wr8(RTL_CR, CR_RE | CR_TE);
    wr32(RTL_RCR, RCR_APM | RCR_AB | RCR_WRAP | RCR_DMA_UNLIMITED);
    wr16(RTL_CAPR, (uint16_t)(rx_off - 16));
    return 0;
}

static void transmit(const uint8_t *frame, size_t n, void (*mark)(uint64_t *),
                     uint64_t *progress)
{
    unsigned tsd = RTL_TSD0 + 4 * tx_next;
    uint64_t until = rs_time_ms() + WAIT_MS;
    while (!(rd32(tsd) & TSD_OWN))  /* the chip still reading this buffer */
        if (rs_time_ms() >= until)
            rs_panic("transmit buffer %u is stuck", tx_next);
    if (rs_copy_checked(dma + TX_OFF + tx_next * TX_BUF, frame, n))
        rs_panic("a frame to send was copied wrong");    /* not sent: sent again */
    io_barrier();
    mark(progress);
    wr32(tsd, (uint32_t)n);         /* the size, OWN cleared: it goes */
    tx_next = (tx_next + 1) % TX_SLOTS;
}

/* The next frame into out: its length, 0 for none. The header the device wrote
 * is checked first; one that makes no sense resets the chip. */
static size_t receive(uint8_t *out)
{
    if (rd8(RTL_CR) & CR_BUFE)
        return 0;
    uint16_t status, total;
    memcpy(&status, dma + rx_off, 2);
    memcpy(&total, dma + rx_off + 2, 2);     /* the frame and its 4-byte CRC */
    if (!(status & RX_OK) || total < ETHER_HEADER + 4 || total > ETHER_MAX + 4) {
        rs_warn("a bad receive header (status %#x, length %u) at %u: chip reset", status,
                total, rx_off);
        rs_ether_dropped();
        if (reset_chip() || bring_up())
            rs_panic("the chip did not come back from its reset");
        return 0;
    }
    uint16_t len = (uint16_t)(total - 4);
    int bad = rs_copy_checked(out, dma + rx_off + 4, len);   /* within ring + slack: WRAP */
    rx_off = (rx_off + total + 4 + 3) & ~3u;
    rx_off %= RX_RING;
    wr16(RTL_CAPR, (uint16_t)(rx_off - 16));
    if (bad)
        rs_ether_dropped();         /* a copy gone wrong: never handed out */
    return bad ? 0 : len;
}

static int more(void)
{
    return !(rd8(RTL_CR) & CR_BUFE);
}

static int start(uint64_t *mac_out)
{
    struct rs_pci_device d;
    int fenced = 0;
    uint64_t e = rs_pci_open(0, &d);
    if (!e)
        e = rs_pci_io_bar(0, BAR, &io);
    if (!e)
        e = reset_chip();           /* first: the chip stops the dead incarnation's DMA
                                       before this one's domain and frame exist */
    if (!e)
        e = rs_pci_dma_frame(DEVDMA, DMA, DMA_PAGES, DMA_VA, &bus, &fenced);
    dma = (uint8_t *)DMA_VA;
    if (!e && bus >> 32)
        e = RS_E_RANGE;             /* the chip takes 32-bit bus addresses only */
    if (!e)
        e = bring_up();
    if (e) {
        rs_error("cannot take the RTL8139: %s", rs_error_name(e));
        return 1;
    }
    rs_info("rtl8139 %02x:%02x.%x at ports %#x: chip reset, %u KiB ring; DMA %s", d.bdf >> 8,
            (d.bdf >> 3) & 31, d.bdf & 7, io, RX_RING / 1024,
            fenced ? "fenced by the IOMMU" : "not fenced (no IOMMU): trusted");
    *mac_out = mac;
    return 0;
}

int main(void)
{
    static const struct rs_ether_device rtl8139 = {
        .name = "rtl8139", .start = start, .transmit = transmit, .receive = receive,
        .more = more,
    };
    return rs_ether_driver_run(&rtl8139);
}
