/* The NE2000 driver (QEMU -device ne2k_pci: 10ec:8029), the programmed-I/O NIC
 * of MINIX 3's campaigns. It holds only its device's I/O BAR, given by the PCI
 * server; the chip never reaches host memory, so there is no DMA to fence. It
 * serves the Ethernet protocol (<proto/ether.h>), published as "ether", polling
 * the receive ring (the chip's interrupts stay masked).
 *
 * Recovery: each incarnation resets the chip (the reset port) and sets the ring
 * up afresh: frames a dead incarnation left in the ring are gone, as on a wire.
 * A send is at most once: its progress is marked just before the command that
 * starts the transmission, and a retried send that finds it marked is answered
 * without sending again. Every wait on the chip is bounded; a chip that does not
 * answer is a failure of the driver, which RS restarts (and so resets it). */
#include <string.h>
#include <rs_invoke.h>
#include <rs_io.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "ne2k.h"
#include "../ether/ether_driver.h"

enum { BAR = RS_GIVEN_FIRST_FREE };

#define WAIT_MS 50
#define PROM_BYTES 32

static uint16_t io;
static uint64_t mac;

static uint8_t rd(unsigned r) { return inb((uint16_t)(io + r)); }
static void wr(unsigned r, uint8_t v) { outb((uint16_t)(io + r), v); }

/* Waits at most WAIT_MS for an ISR bit, then clears it; -1 if it never came. */
static int wait_isr(uint8_t bit)
{
    uint64_t until = rs_time_ms() + WAIT_MS;
    while (!(rd(NE_ISR) & bit))
        if (rs_time_ms() >= until)
            return -1;
    wr(NE_ISR, bit);
    return 0;
}

/* Points the chip's remote DMA at n bytes of packet memory from addr. */
static void remote(uint16_t addr, uint16_t n, uint8_t dir)
{
    wr(NE_RBCR0, (uint8_t)n);
    wr(NE_RBCR1, (uint8_t)(n >> 8));
    wr(NE_RSAR0, (uint8_t)addr);
    wr(NE_RSAR1, (uint8_t)(addr >> 8));
    wr(NE_CR, dir | CR_STA);
}

/* n (even) bytes of packet memory at addr into out; the chip wraps in the ring. */
static void chip_read(uint16_t addr, uint8_t *out, uint16_t n)
{
    remote(addr, n, CR_RD_READ);
    for (uint16_t i = 0; i < n; i += 2) {
        uint16_t w = inw((uint16_t)(io + NE_DATA));
        out[i] = (uint8_t)w;
        out[i + 1] = (uint8_t)(w >> 8);
    }
    if (wait_isr(ISR_RDC))
        rs_panic("the chip did not finish a remote read");
}

static void chip_write(uint16_t addr, const uint8_t *in, uint16_t n)
{
    remote(addr, n, CR_RD_WRITE);
    for (uint16_t i = 0; i < n; i += 2)
        outw((uint16_t)(io + NE_DATA), (uint16_t)(in[i] | in[i + 1] << 8));
    if (wait_isr(ISR_RDC))
        rs_panic("the chip did not finish a remote write");
}

static uint8_t current_page(void)
{
    wr(NE_CR, CR_PAGE1 | CR_STA | CR_RD_ABORT);
    uint8_t c = rd(NE_CURR);
    wr(NE_CR, CR_STA | CR_RD_ABORT);
    return c;
}

/* Empties the ring (after an overflow, or a header that makes no sense). */
static void ring_reset(void)
{
    wr(NE_BNRY, RX_START);
    wr(NE_CR, CR_PAGE1 | CR_STA | CR_RD_ABORT);
    wr(NE_CURR, RX_START + 1);
    wr(NE_CR, CR_STA | CR_RD_ABORT);
    wr(NE_ISR, ISR_OVW);
}

static void transmit(const uint8_t *frame, size_t n, void (*mark)(uint64_t *),
                     uint64_t *progress)
{
    uint64_t until = rs_time_ms() + WAIT_MS;
    while (rd(NE_CR) & CR_TXP)      /* the last transmission still going */
        if (rs_time_ms() >= until)
            rs_panic("the chip is stuck transmitting");
    chip_write(TX_PAGE << 8, frame, (uint16_t)((n + 1) & ~1u));    /* (padded: room) */
    wr(NE_TBCR0, (uint8_t)n);
    wr(NE_TBCR1, (uint8_t)(n >> 8));
    mark(progress);
    wr(NE_CR, CR_TXP | CR_STA | CR_RD_ABORT);
}

/* The next frame in the ring into out; its length, 0 for none. A header that
 * makes no sense (a length or next page outside the ring) empties the ring. */
static size_t receive(uint8_t *out)
{
    if (rd(NE_ISR) & ISR_OVW) {
        rs_ether_dropped();
        ring_reset();
        return 0;
    }
    uint8_t bnry = rd(NE_BNRY), next = (uint8_t)(bnry + 1 >= RX_STOP ? RX_START : bnry + 1);
    if (next == current_page())
        return 0;
    uint8_t h[4];
    chip_read((uint16_t)(next << 8), h, 4);
    uint16_t total = (uint16_t)(h[2] | h[3] << 8), len = (uint16_t)(total - 4);
    if (h[1] < RX_START || h[1] >= RX_STOP || total < 4 + ETHER_HEADER || total > 4 + ETHER_MAX) {
        rs_ether_dropped();
        ring_reset();
        return 0;
    }
    chip_read((uint16_t)((next << 8) + 4), out, (uint16_t)((len + 1) & ~1u));  /* room: +2 */
    wr(NE_BNRY, (uint8_t)(h[1] == RX_START ? RX_STOP - 1 : h[1] - 1));
    wr(NE_ISR, ISR_PRX);
    return len;
}

static int more(void)
{
    uint8_t bnry = rd(NE_BNRY), next = (uint8_t)(bnry + 1 >= RX_STOP ? RX_START : bnry + 1);
    return next != current_page();
}

/* The reset, the station address from the PROM, the ring; then it runs. */
static uint64_t bring_up(void)
{
    uint8_t prom[PROM_BYTES], m[ETHER_ADDR];
    /* Page 0 first: a reset leaves the page the last incarnation chose (it may
     * have died between selecting page 1 and going back), where register 7 is
     * not the ISR and the reset would never seem to finish. */
    wr(NE_CR, CR_STP | CR_RD_ABORT);
    wr(NE_RESET, rd(NE_RESET));
    if (wait_isr(ISR_RST))
        return RS_E_TIMEOUT;
    wr(NE_CR, CR_STP | CR_RD_ABORT);
    wr(NE_DCR, DCR_WORDS);
    wr(NE_RBCR0, 0);
    wr(NE_RBCR1, 0);
    wr(NE_RCR, RCR_MONITOR);
    wr(NE_TCR, TCR_LOOPBACK);
    wr(NE_ISR, 0xFF);
    wr(NE_IMR, 0);                  /* polled */
    wr(NE_CR, CR_STA | CR_RD_ABORT);
    chip_read(0, prom, PROM_BYTES);
    for (int i = 0; i < ETHER_ADDR; i++)
        m[i] = prom[2 * i];         /* each PROM byte is doubled in word mode */
    mac = ether_mac_word(m);
    wr(NE_CR, CR_STP | CR_RD_ABORT);
    wr(NE_PSTART, RX_START);
    wr(NE_PSTOP, RX_STOP);
    wr(NE_TPSR, TX_PAGE);
    wr(NE_CR, CR_PAGE1 | CR_STP | CR_RD_ABORT);
    for (int i = 0; i < ETHER_ADDR; i++)
        wr(NE_PAR0 + i, m[i]);
    for (int i = 0; i < 8; i++)
        wr(NE_MAR0 + i, 0xFF);
    wr(NE_CR, CR_STP | CR_RD_ABORT);
    ring_reset();
    wr(NE_ISR, 0xFF);
    wr(NE_CR, CR_STA | CR_RD_ABORT);
    wr(NE_TCR, 0);
    wr(NE_RCR, RCR_BROADCAST);
    return 0;
}

static int start(uint64_t *mac_out)
{
    struct rs_pci_device d;
    uint64_t e = rs_pci_open(0, &d);
    if (!e)
        e = rs_pci_io_bar(0, BAR, &io);
    if (!e)
        e = bring_up();
    if (e) {
        rs_error("cannot take the NE2000: %s", rs_error_name(e));
        return 1;
    }
    rs_info("ne2k %02x:%02x.%x at ports %#x: chip reset; programmed I/O, no DMA", d.bdf >> 8,
            (d.bdf >> 3) & 31, d.bdf & 7, io);
    *mac_out = mac;
    return 0;
}

int main(void)
{
    static const struct rs_ether_device ne2k = {
        .name = "ne2k", .start = start, .transmit = transmit, .receive = receive, .more = more,
    };
    return rs_ether_driver_run(&ne2k);
}
