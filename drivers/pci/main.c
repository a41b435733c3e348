/* The PCI server: the one task that holds the configuration mechanism (ports
 * 0xCF8-0xCFF) and the bus windows (the I/O-port range, MMIO hole and PCI
 * interrupt lines RS gives it, <rs_pci.h>). It enumerates the bus at start and
 * hands each driver only its own device: the BARs as capabilities split from the
 * windows (the kernel checks they lie inside), a share of its interrupt line, and
 * configuration access mediated field by field (pci.h: pci_write_check). Who may
 * open what is in the caller's badge, minted by RS from the driver's declaration.
 *
 * The capabilities it hands out are owned by no task, so they outlive this
 * server: if it crashes, its drivers keep their devices, and the next incarnation
 * enumerates again, taking back who holds which device from the keep frame RS
 * gives it (claims.h), so it goes on refusing a held device to another driver.
 * Opening a device stops its decoding and bus mastering first, so a restarted
 * driver finds a device that does no DMA for a dead one. */
#include <stdio.h>
#include <string.h>
#include <proto/pci.h>
#include <rs_invoke.h>
#include <rs_io.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include "claims.h"
#include "pci.h"

enum { PORTS = RS_GIVEN_PORTS, WIN = RS_GIVEN_FIRST_FREE, EP = WIN + PCI_WIN_COUNT, OUT };

#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA    0xCFC
#define PAGE 4096u
#define KEEP_VA 0x500000000ull

static struct pci_bus bus;
static struct pci_claims *claims;   /* in the keep frame; NULL: none was given */
static char listing[RS_BUFFER_MAX];

static uint32_t port_read(void *ctx, uint32_t bdf, uint8_t offset)
{
    (void)ctx;
    outl(CONFIG_ADDRESS, 0x80000000u | bdf << 8 | (offset & 0xFC));
    return inl(CONFIG_DATA);
}

static void port_write(void *ctx, uint32_t bdf, uint8_t offset, uint32_t value)
{
    (void)ctx;
    outl(CONFIG_ADDRESS, 0x80000000u | bdf << 8 | (offset & 0xFC));
    outl(CONFIG_DATA, value);
}

static const struct pci_cfg cfg = { port_read, port_write, 0 };

/* The device the caller opened, or NULL (then *e says why). */
static struct pci_dev *opened(const struct rs_request *r, uint64_t *e)
{
    unsigned id = PCI_BADGE_ID(r->badge);
    *e = RS_E_RIGHTS;
    if (!(r->badge & PCI_BADGE_DRIVER))
        return 0;
    *e = RS_E_NOENT;
    for (unsigned i = 0; i < bus.ndev; i++)
        if (bus.dev[i].owner == id)
            return &bus.dev[i];
    return 0;
}

/* Quiets d for a new driver: no decoding, no bus mastering (so no DMA is left
 * running for a dead incarnation), then decoding of the kinds its BARs need. */
static void quiet(struct pci_dev *d)
{
    uint32_t cmd = pci_cfg_read(&cfg, d->bdf, PCI_COMMAND, 2);
    pci_cfg_write(&cfg, d->bdf, PCI_COMMAND, 2, cmd & ~(uint32_t)PCI_CMD_DRIVER);
    cmd &= ~(uint32_t)PCI_CMD_DRIVER;
    for (unsigned i = 0; i < PCI_BARS; i++)
        cmd |= d->bar[i].kind == PCI_BAR_IO ? PCI_CMD_IO
               : d->bar[i].kind == PCI_BAR_MEM ? PCI_CMD_MEM : 0;
    pci_cfg_write(&cfg, d->bdf, PCI_COMMAND, 2, cmd);
}

static uint32_t open_handler(struct rs_request *r, void *state)
{
    (void)state;
    if (!(r->badge & PCI_BADGE_DRIVER))
        return RS_E_RIGHTS;
    unsigned id = PCI_BADGE_ID(r->badge);
    struct pci_dev *d = pci_find(&bus, PCI_BADGE_VENDOR(r->badge), PCI_BADGE_DEVICE(r->badge),
                                 (unsigned)r->req.w[0]);
    if (!d)
        return RS_E_NOENT;
    if (d->owner && d->owner != id)
        return RS_E_BUSY;           /* another service's device */
    for (unsigned i = 0; i < bus.ndev; i++)
        if (bus.dev[i].owner == id && &bus.dev[i] != d)
            bus.dev[i].owner = 0;   /* one device a driver at a time */
    d->owner = id;
    if (claims)
        pci_claims_save(claims, &bus);
    quiet(d);
    r->reply.w[0] = d->bdf;
    r->reply.w[1] = d->vendor | (uint32_t)d->device << 16;
    r->reply.w[2] = (uint32_t)d->class << 16 | (uint32_t)d->subclass << 8 | d->progif;
    r->reply.w[3] = d->irq;
    rs_info("%02x:%02x.%x %04x:%04x opened by service %u", d->bdf >> 8, (d->bdf >> 3) & 31,
            d->bdf & 7, d->vendor, d->device, id);
    return 0;
}

/* The window an I/O BAR is split from. */
static uint64_t io_window(const struct pci_bar *b)
{
    if (b->legacy)
        return b->base == 0x1F0 ? WIN + PCI_WIN_IDE_CMD : WIN + PCI_WIN_IDE_CTL;
    return WIN + PCI_WIN_IO;
}

/* Whether another device decodes anything in the pages of b (then handing out
 * those pages would give that device away too). */
static int page_shared(const struct pci_dev *d, const struct pci_bar *b)
{
    uint64_t lo = b->base & ~(uint64_t)(PAGE - 1), hi = (b->base + b->size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
    for (unsigned i = 0; i < bus.ndev; i++)
        for (unsigned j = 0; j < PCI_BARS; j++) {
            const struct pci_bar *o = &bus.dev[i].bar[j];
            if (o != b && o->kind == PCI_BAR_MEM && o->size && o->base < hi
                && o->base + o->size > lo && &bus.dev[i] != d)
                return 1;
        }
    return 0;
}

static uint64_t give_mem(const struct pci_dev *d, const struct pci_bar *b)
{
    uint64_t first = b->base / PAGE, pages = (b->base + b->size + PAGE - 1) / PAGE - first;
    if (b->base < PCI_WIN_MEM_BASE || b->base + b->size > PCI_WIN_MEM_END)
        return RS_E_RANGE;          /* outside the window (a 64-bit BAR above 4 GiB) */
    if (page_shared(d, b))
        return RS_E_BUSY;
    return rs_frame_split(WIN + PCI_WIN_MEM, first - PCI_WIN_MEM_BASE / PAGE, pages, OUT);
}

static uint32_t bar_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e, n = r->req.w[0];
    struct pci_dev *d = opened(r, &e);
    if (!d)
        return (uint32_t)e;
    if (n >= PCI_BARS || d->bar[n].kind == PCI_BAR_NONE || !d->bar[n].size)
        return RS_E_NOENT;
    const struct pci_bar *b = &d->bar[n];
    rs_cap_delete(OUT);
    if (b->kind == PCI_BAR_IO) {
        e = rs_ioports_split(io_window(b), b->base, b->size, OUT);
    } else {
        e = give_mem(d, b);
    }
    if (e) {
        rs_warn("cannot give BAR %lu (%s %#lx/%#lx) of %04x:%04x: %s", (unsigned long)n,
                b->kind == PCI_BAR_IO ? "io" : "mem", (unsigned long)b->base,
                (unsigned long)b->size, d->vendor, d->device, rs_error_name(e));
        return (uint32_t)e;
    }
    r->reply_cap = OUT;
    r->reply.w[0] = b->kind;
    r->reply.w[1] = b->base;
    r->reply.w[2] = b->size;
    return 0;
}

static uint32_t irq_handler(struct rs_request *r, void *state)
{
    (void)state;
    static const uint8_t lines[] = { [PCI_WIN_IRQ5 - PCI_WIN_IRQ5] = 5, 9, 10, 11, 14 };
    uint64_t e;
    struct pci_dev *d = opened(r, &e);
    if (!d)
        return (uint32_t)e;
    for (unsigned i = 0; i < sizeof lines; i++) {
        if (lines[i] != d->irq)
            continue;
        rs_cap_delete(OUT);
        e = rs_irq_share(WIN + PCI_WIN_IRQ5 + i, OUT);
        if (e)
            return (uint32_t)e;
        r->reply_cap = OUT;
        r->reply.w[0] = d->irq;
        return 0;
    }
    return RS_E_RANGE;              /* a line that is not the bus's */
}

static uint32_t config_read_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e, off = r->req.w[0], width = r->req.w[1];
    struct pci_dev *d = opened(r, &e);
    if (!d)
        return (uint32_t)e;
    if ((width != 1 && width != 2 && width != 4) || off % width || off >= 256)
        return RS_E_ALIGN;
    r->reply.w[0] = pci_cfg_read(&cfg, d->bdf, (uint8_t)off, (unsigned)width);
    return 0;
}

static uint32_t config_write_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e, off = r->req.w[0], width = r->req.w[1];
    struct pci_dev *d = opened(r, &e);
    uint32_t merged;
    if (!d)
        return (uint32_t)e;
    if (off >= 256)
        return RS_E_RANGE;
    uint32_t now = cfg.read(0, d->bdf, (uint8_t)(off & 0xFC));
    e = pci_write_check((uint8_t)off, (unsigned)width, (uint32_t)r->req.w[2], now, &merged);
    if (e) {
        rs_warn("service %u may not write %lu bytes at %#lx of %04x:%04x: refused",
                PCI_BADGE_ID(r->badge), (unsigned long)width, (unsigned long)off, d->vendor,
                d->device);
        return (uint32_t)e;
    }
    cfg.write(0, d->bdf, (uint8_t)(off & 0xFC), merged);
    return 0;
}

static uint32_t dma_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e, bdf = 0, fenced = 0, faults = 0;
    struct pci_dev *d = opened(r, &e);
    if (!d)
        return (uint32_t)e;
    rs_cap_delete(OUT);
    e = rs_dma_function(WIN + PCI_WIN_DMA, d->bdf, OUT);
    if (!e)
        e = rs_dma_info(OUT, &bdf, &fenced, &faults);
    if (e)
        return (uint32_t)e;
    r->reply_cap = OUT;
    r->reply.w[0] = fenced;
    return 0;
}

static uint32_t list_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t max = r->req.w[0] < sizeof listing ? r->req.w[0] : sizeof listing;
    unsigned at = 0;
    for (unsigned i = 0; i < bus.ndev && at < max; i++) {
        char line[256], who[16];
        snprintf(who, sizeof who, "#%u", bus.dev[i].owner);
        int n = pci_describe(&bus.dev[i], bus.dev[i].owner ? who : 0, line, sizeof line);
        if (n < 0 || at + (unsigned)n + 1 > max)
            break;
        memcpy(listing + at, line, (unsigned)n);
        at += (unsigned)n;
        listing[at++] = '\n';
    }
    r->reply_buf = listing;
    r->reply_len = at;
    r->reply.w[0] = bus.ndev;
    return 0;
}

/* The claims of the last incarnation, from the keep frame (none on a first start:
 * the frame is new and empty). */
static void take_claims(void)
{
    uint64_t pages = 0, addr = 0;
    if (rs_frame_info(RS_GIVEN_KEEP, &pages, &addr) || pages * PAGE < sizeof *claims
        || rs_frame_map(RS_GIVEN_KEEP, KEEP_VA, RS_MAP_WRITE)) {
        rs_warn("no keep frame: who holds which device is forgotten if this server restarts");
        return;
    }
    claims = (struct pci_claims *)KEEP_VA;
    int n = pci_claims_load(claims, &bus);
    if (n > 0)
        rs_info("%d devices still held by the drivers that opened them", n);
    else if (n < 0 && rs_incarnation() > 1)
        rs_warn("the kept claims are not whole: every device is free to open");
}

static int start(void *state)
{
    (void)state;
    rs_slot_reserve(WIN, PCI_WIN_COUNT + 2);
    if (rs_ioports_enable(PORTS)) {
        rs_error("cannot take the configuration ports 0xCF8-0xCFF (not given?)");
        return 1;
    }
    pci_enumerate(&bus, &cfg, 0);
    for (unsigned i = 0; i < bus.ndev; i++) {
        char line[256];
        pci_describe(&bus.dev[i], 0, line, sizeof line);
        rs_info("%s", line);
    }
    if (bus.skipped)
        rs_warn("%u functions beyond the first %u not served", bus.skipped, PCI_MAX_DEVICES);
    rs_info("%u PCI functions on bus 0", bus.ndev);
    take_claims();
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[PCI_LABELS] = {
    [PCI_OPEN] = open_handler, [PCI_BAR] = bar_handler, [PCI_IRQ] = irq_handler,
    [PCI_CONFIG_READ] = config_read_handler, [PCI_CONFIG_WRITE] = config_write_handler,
    [PCI_LIST] = list_handler, [PCI_DMA] = dma_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "pci", .publish = "pci", .endpoint = EP,
        .handlers = handlers, .nhandlers = PCI_LABELS,
        .init_fresh = start, .init_restart = start,
    };
    return rs_server_run(&server);
}
