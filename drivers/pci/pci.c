/* Enumeration, BAR sizing, the configuration-write rules and the shell's listing
 * (see pci.h). Everything here goes through a struct pci_cfg, so it runs the same
 * against the real bus and the unit tests' simulated one. */
#include <stdio.h>
#include <string.h>
#include <rsys.h>
#include "pci.h"

uint32_t pci_cfg_read(const struct pci_cfg *c, uint32_t bdf, uint8_t offset, unsigned width)
{
    uint32_t w = c->read(c->ctx, bdf, offset & 0xFC);
    unsigned shift = (offset & 3) * 8;
    if (width == 4)
        return w;
    return (w >> shift) & (width == 2 ? 0xFFFFu : 0xFFu);
}

void pci_cfg_write(const struct pci_cfg *c, uint32_t bdf, uint8_t offset, unsigned width,
                   uint32_t value)
{
    uint32_t mask = width == 4 ? 0xFFFFFFFFu : width == 2 ? 0xFFFFu : 0xFFu;
    unsigned shift = (offset & 3) * 8;
    uint32_t w = width == 4 ? 0 : c->read(c->ctx, bdf, offset & 0xFC);
    w = (w & ~(mask << shift)) | ((value & mask) << shift);
    c->write(c->ctx, bdf, offset & 0xFC, w);
}

/* Writes all ones to the BAR at off and reads back which bits it keeps; restores it. */
static uint32_t bar_probe(const struct pci_cfg *c, uint32_t bdf, uint8_t off, uint32_t *orig)
{
    *orig = c->read(c->ctx, bdf, off);
    c->write(c->ctx, bdf, off, 0xFFFFFFFFu);
    uint32_t kept = c->read(c->ctx, bdf, off);
    c->write(c->ctx, bdf, off, *orig);
    return kept;
}

/* Sizes BAR i (and, for a 64-bit one, i + 1); returns how many slots it took. */
static unsigned bar_size(const struct pci_cfg *c, struct pci_dev *d, unsigned i)
{
    uint8_t off = (uint8_t)(PCI_BAR0 + 4 * i);
    uint32_t orig, kept = bar_probe(c, d->bdf, off, &orig);
    struct pci_bar *b = &d->bar[i];
    if (kept == 0 || kept == 0xFFFFFFFFu)
        return 1;                   /* unimplemented */
    if (orig & 1) {
        uint32_t mask = kept & 0xFFFCu;
        b->kind = PCI_BAR_IO;
        b->base = orig & 0xFFFCu;
        b->size = mask ? (uint16_t)(~mask + 1u) : 0;
        return 1;
    }
    uint64_t mask = kept & ~0xFu, base = orig & ~0xFu;
    unsigned used = 1;
    if (((orig >> 1) & 3) == 2 && i + 1 < PCI_BARS) {
        uint32_t hi, kept_hi = bar_probe(c, d->bdf, (uint8_t)(off + 4), &hi);
        mask |= (uint64_t)kept_hi << 32;
        base |= (uint64_t)hi << 32;
        b->wide = 1;
        used = 2;
    } else {
        mask |= 0xFFFFFFFF00000000ull;
    }
    b->kind = PCI_BAR_MEM;
    b->base = base;
    b->size = ~mask + 1;
    return used;
}

/* A primary IDE channel in compatibility mode decodes fixed ports, not BARs 0-1. */
static void legacy_ide(struct pci_dev *d)
{
    if (d->class != 0x01 || d->subclass != 0x01 || (d->progif & 1))
        return;
    d->bar[0] = (struct pci_bar){ .kind = PCI_BAR_IO, .legacy = 1, .base = 0x1F0, .size = 8 };
    d->bar[1] = (struct pci_bar){ .kind = PCI_BAR_IO, .legacy = 1, .base = 0x3F6, .size = 1 };
    d->irq = 14;
}

static void add_function(struct pci_bus *bus, const struct pci_cfg *c, uint32_t bdf,
                         uint32_t id)
{
    if (bus->ndev == PCI_MAX_DEVICES) {
        bus->skipped++;
        return;
    }
    struct pci_dev *d = &bus->dev[bus->ndev++];
    uint32_t class = c->read(c->ctx, bdf, PCI_CLASS);
    memset(d, 0, sizeof *d);
    d->bdf = bdf;
    d->vendor = (uint16_t)id;
    d->device = (uint16_t)(id >> 16);
    d->class = (uint8_t)(class >> 24);
    d->subclass = (uint8_t)(class >> 16);
    d->progif = (uint8_t)(class >> 8);
    d->irq = (uint8_t)pci_cfg_read(c, bdf, PCI_IRQ_LINE, 1);
    if ((pci_cfg_read(c, bdf, PCI_HEADER, 1) & 0x7F) != 0)
        return;                     /* a bridge: no BARs of a device */
    uint32_t cmd = pci_cfg_read(c, bdf, PCI_COMMAND, 2);
    pci_cfg_write(c, bdf, PCI_COMMAND, 2, cmd & ~(uint32_t)(PCI_CMD_IO | PCI_CMD_MEM));
    for (unsigned i = 0; i < PCI_BARS;)
        i += bar_size(c, d, i);
    pci_cfg_write(c, bdf, PCI_COMMAND, 2, cmd);
    legacy_ide(d);
}

void pci_enumerate(struct pci_bus *bus, const struct pci_cfg *c, unsigned bus_max)
{
    bus->ndev = bus->skipped = 0;
    for (unsigned b = 0; b <= bus_max && b < 256; b++) {
        for (unsigned dev = 0; dev < 32; dev++) {
            for (unsigned fn = 0; fn < 8; fn++) {
                uint32_t bdf = PCI_BDF(b, dev, fn);
                uint32_t id = c->read(c->ctx, bdf, PCI_VENDOR);
                if ((id & 0xFFFF) == 0xFFFF) {
                    if (fn == 0)
                        break;      /* no device here */
                    continue;
                }
                add_function(bus, c, bdf, id);
                if (fn == 0 && !(pci_cfg_read(c, bdf, PCI_HEADER, 1) & 0x80))
                    break;          /* single-function */
            }
        }
    }
}

struct pci_dev *pci_find(struct pci_bus *bus, uint16_t vendor, uint16_t device, unsigned index)
{
    for (unsigned i = 0; i < bus->ndev; i++)
        if (bus->dev[i].vendor == vendor && bus->dev[i].device == device && index-- == 0)
            return &bus->dev[i];
    return 0;
}

uint64_t pci_write_check(uint8_t offset, unsigned width, uint32_t value, uint32_t current,
                         uint32_t *merged)
{
    if ((width != 1 && width != 2 && width != 4) || offset % width)
        return RS_E_ALIGN;
    unsigned shift = (offset & 3) * 8;
    uint32_t mask = (width == 4 ? 0xFFFFFFFFu : width == 2 ? 0xFFFFu : 0xFFu) << shift;
    uint32_t v = (value << shift) & mask;
    /* What a driver may change, per byte of the aligned word at offset & ~3. */
    uint32_t may = 0;
    switch (offset & 0xFC) {
    case PCI_COMMAND:
        may = PCI_CMD_DRIVER | 0xFFFF0000u;     /* command bits; status: write 1 to clear */
        break;
    case PCI_CACHE_LINE:
        may = 0x0000FFFFu;                      /* cache line size, latency timer */
        break;
    default:
        return RS_E_RIGHTS;
    }
    if ((mask & ~may) && (v & mask & ~may) != (current & mask & ~may))
        return RS_E_RIGHTS;         /* a field it does not own would change */
    uint32_t w = (current & ~mask) | (v & may) | (current & mask & ~may);
    if ((offset & 0xFC) == PCI_COMMAND)
        w = (w & 0xFFFFu) | (v & 0xFFFF0000u);  /* status: only the ones it writes */
    *merged = w;
    return 0;
}

int pci_describe(const struct pci_dev *d, const char *driver, char *out, unsigned n)
{
    int at = snprintf(out, n, "%02x:%02x.%x %04x:%04x class %02x.%02x.%02x irq %u",
                      d->bdf >> 8, (d->bdf >> 3) & 31, d->bdf & 7, d->vendor, d->device,
                      d->class, d->subclass, d->progif, d->irq);
    for (unsigned i = 0; i < PCI_BARS && at >= 0 && (unsigned)at < n; i++) {
        const struct pci_bar *b = &d->bar[i];
        if (b->kind != PCI_BAR_NONE)
            at += snprintf(out + at, n - at, " bar%u %s %#lx/%#lx", i,
                           b->kind == PCI_BAR_IO ? "io" : "mem", (unsigned long)b->base,
                           (unsigned long)b->size);
    }
    if (at >= 0 && (unsigned)at < n)
        at += snprintf(out + at, n - at, " driver %s", driver ? driver : "-");
    return at;
}
