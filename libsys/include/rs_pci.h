/* What RS, the PCI server and PCI drivers agree on (protocol: proto pci in
 * protocols.tbl; the server: drivers/pci/).
 *
 * A driver declared with `pci = "VVVV:DDDD"` in init.lua is given, at
 * RS_GIVEN_PCI, the PCI server's endpoint minted by RS with a badge that says
 * which devices it may open and who it is. Badges are minted by the kernel on
 * RS's request, never taken from a register, so the server believes them: a
 * driver can open only devices of its declared vendor and device ID, and gets
 * only their BARs, interrupt line and safe configuration fields. Other callers
 * (the shell, through the name "pci" in the data store) may only list. */
#pragma once
#include <stdint.h>
#include <rs_service.h>      /* RS_GIVEN_PCI */

#define PCI_BADGE_DRIVER (1ull << 62)
#define PCI_BADGE(id, vendor, device) \
    (PCI_BADGE_DRIVER | (uint64_t)(vendor) << 32 | (uint64_t)(device) << 16 | (uint64_t)(id))
#define PCI_BADGE_ID(b)     ((unsigned)((b) & 0xFFFF))
#define PCI_BADGE_VENDOR(b) ((uint16_t)((b) >> 32))
#define PCI_BADGE_DEVICE(b) ((uint16_t)((b) >> 16))

/* pci bar: the kinds of a BAR. */
#define PCI_BAR_NONE 0
#define PCI_BAR_IO   1              /* a range of I/O ports: an ioports capability */
#define PCI_BAR_MEM  2              /* MMIO: a device frame capability (whole pages) */

/* The bus windows RS gives the PCI server, in its slots from RS_GIVEN_FIRST_FREE on,
 * in this order: everything it can ever hand out. */
enum pci_window {
    PCI_WIN_IO,                     /* I/O ports 0x1000-0xFFFF: BARs SeaBIOS assigned */
    PCI_WIN_IDE_CMD,                /* the primary IDE channel in compatibility mode: */
    PCI_WIN_IDE_CTL,                /*   0x1F0-0x1F7 and the control port 0x3F6 */
    PCI_WIN_MEM,                    /* the 32-bit MMIO hole below the I/O APIC */
    PCI_WIN_IRQ5, PCI_WIN_IRQ9, PCI_WIN_IRQ10, PCI_WIN_IRQ11,   /* PCI INTx lines */
    PCI_WIN_IRQ14,                  /* the primary IDE channel's line */
    PCI_WIN_DMA,                    /* the bus's DMA object: one per function from it */
    PCI_WIN_COUNT
};
#define PCI_WIN_IO_FIRST 0x1000
#define PCI_WIN_MEM_BASE 0xC0000000ull
#define PCI_WIN_MEM_END  0xFEC00000ull

/* pci open: the opened device, packed in its words. */
#define PCI_BDF(bus, dev, fn) ((uint32_t)(bus) << 8 | (uint32_t)(dev) << 3 | (fn))

/* Driver side (libsys/pci.c): calls to the PCI server through RS_GIVEN_PCI. */
struct rs_pci_device {
    uint32_t bdf;
    uint16_t vendor, device;
    uint8_t class, subclass, progif, irq;
};

/* Opens the index-th device this driver may drive (0: the first). */
uint64_t rs_pci_open(unsigned index, struct rs_pci_device *d);

/* BAR `bar` of the opened device as a capability in slot; its kind and extent. */
uint64_t rs_pci_bar(unsigned bar, uint64_t slot, uint64_t *kind, uint64_t *base,
                    uint64_t *size);

/* A memory BAR mapped at va (page-aligned, uncached): *regs is its first register
 * (va plus the BAR's offset in its first page); *size (unless NULL) its bytes. */
uint64_t rs_pci_map_bar(unsigned bar, uint64_t slot, uint64_t va, volatile uint8_t **regs,
                        uint64_t *size);

/* An I/O BAR enabled for port instructions: *port is its first port. */
uint64_t rs_pci_io_bar(unsigned bar, uint64_t slot, uint16_t *port);

/* The device's interrupt line as a share in slot, bound to notification ntfn with
 * bits (the thread's bound notification, so the server loop hears it). */
uint64_t rs_pci_irq(uint64_t slot, uint64_t ntfn, uint64_t bits);

uint64_t rs_pci_config_read(uint8_t offset, unsigned width, uint32_t *value);
uint64_t rs_pci_config_write(uint8_t offset, unsigned width, uint32_t value);

/* The device's DMA capability in slot (kernel dma object: grant it DMA frames with
 * rs_dma_map); *fenced: 1 when an IOMMU holds the device to those frames. */
uint64_t rs_pci_dma(uint64_t slot, int *fenced);

/* The device's DMA capability in dma_slot, and a DMA frame of `pages` in
 * frame_slot granted to the device and mapped writable at va: *bus is the address
 * to tell the device, *fenced as rs_pci_dma's. */
uint64_t rs_pci_dma_frame(uint64_t dma_slot, uint64_t frame_slot, uint64_t pages, uint64_t va,
                          uint64_t *bus, int *fenced);

/* Turns the device's bus mastering (DMA) on or off. */
uint64_t rs_pci_bus_master(int on);

/* Offset of the first capability with this ID at or after `from` in the device's
 * capability list (from 0: its start), 0 for none. Bounded: 48 capabilities. */
uint8_t rs_pci_find_cap(uint8_t id, uint8_t from);
