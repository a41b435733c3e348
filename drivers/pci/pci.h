/* The PCI server's view of the bus: the devices found by enumeration, their BARs
 * and interrupt lines, and the rules for what a driver may write to a device's
 * configuration space. Pure logic over a config-space accessor, so that the unit
 * tests run it against a simulated bus; drivers/pci/main.c supplies the real one
 * (mechanism #1, ports 0xCF8/0xCFC). */
#pragma once
#include <stdint.h>
#include <rs_pci.h>

#define PCI_MAX_DEVICES 32
#define PCI_BARS 6

/* Configuration-space offsets (type 0 header). */
#define PCI_VENDOR     0x00
#define PCI_COMMAND    0x04
#define PCI_STATUS     0x06
#define PCI_CLASS      0x08         /* revision, prog-if, subclass, class */
#define PCI_CACHE_LINE 0x0C
#define PCI_LATENCY    0x0D
#define PCI_HEADER     0x0E
#define PCI_BAR0       0x10
#define PCI_IRQ_LINE   0x3C

#define PCI_CMD_IO       0x0001
#define PCI_CMD_MEM      0x0002
#define PCI_CMD_MASTER   0x0004
#define PCI_CMD_INTX_OFF 0x0400
#define PCI_CMD_DRIVER   (PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_OFF)

/* Reads and writes one aligned 32-bit word of a function's configuration space. */
struct pci_cfg {
    uint32_t (*read)(void *ctx, uint32_t bdf, uint8_t offset);
    void (*write)(void *ctx, uint32_t bdf, uint8_t offset, uint32_t value);
    void *ctx;
};

struct pci_bar {
    uint8_t kind;                   /* PCI_BAR_* */
    uint8_t wide;                   /* a 64-bit memory BAR (it takes the next slot too) */
    uint8_t legacy;                 /* fixed compatibility ports, not a real BAR */
    uint64_t base, size;
};

struct pci_dev {
    uint32_t bdf;
    uint16_t vendor, device;
    uint8_t class, subclass, progif, irq;
    struct pci_bar bar[PCI_BARS];
    unsigned owner;                 /* service id of the driver that opened it; 0 none */
};

struct pci_bus {
    struct pci_dev dev[PCI_MAX_DEVICES];
    unsigned ndev;
    unsigned skipped;               /* functions beyond PCI_MAX_DEVICES */
};

uint32_t pci_cfg_read(const struct pci_cfg *c, uint32_t bdf, uint8_t offset, unsigned width);
void pci_cfg_write(const struct pci_cfg *c, uint32_t bdf, uint8_t offset, unsigned width,
                   uint32_t value);

/* Finds every function on buses 0..bus_max (ending at a missing function 0 or a
 * single-function device) and sizes its BARs, with decoding off while it does;
 * a primary IDE channel in compatibility mode gets its fixed ports as BARs 0 and
 * 1 and line 14. Bounded: 32 devices x 8 functions a bus. */
void pci_enumerate(struct pci_bus *bus, const struct pci_cfg *c, unsigned bus_max);

/* The index-th device (0: the first) with this vendor and device ID, or NULL. */
struct pci_dev *pci_find(struct pci_bus *bus, uint16_t vendor, uint16_t device, unsigned index);

/* What a driver may write at offset (width 1, 2 or 4, aligned): 0 and the value to
 * write, merged with `current` (the aligned word there now), or an RS_E_* code.
 * It may turn its device's decoding, bus mastering and INTx on and off, clear
 * status bits and set the cache line and latency; never move a BAR, change the
 * interrupt line, or touch anything else. */
uint64_t pci_write_check(uint8_t offset, unsigned width, uint32_t value, uint32_t current,
                         uint32_t *merged);

/* One line describing d for `pci` at the shell, into out (at most n bytes). */
int pci_describe(const struct pci_dev *d, const char *driver, char *out, unsigned n);
