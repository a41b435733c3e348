/* A PCI driver's side of the PCI server's protocol (rs_pci.h): open the device,
 * take its BARs and line, walk its capabilities. Every call goes to the server
 * through the capability RS gave, RS_GIVEN_PCI, whose badge says which device. */
#include <proto/pci.h>
#include <rs_invoke.h>
#include <rs_pci.h>
#include <rsys.h>

#define PCI_CAP_LIST_BIT 0x10       /* status: the device has a capability list */
#define PCI_CAP_POINTER 0x34

uint64_t rs_pci_open(unsigned index, struct rs_pci_device *d)
{
    uint64_t bdf = 0, ids = 0, class = 0, irq = 0;
    uint64_t e = pci_open(RS_GIVEN_PCI, index, &bdf, &ids, &class, &irq);
    if (e)
        return e;
    *d = (struct rs_pci_device){ .bdf = (uint32_t)bdf, .vendor = (uint16_t)ids,
                                 .device = (uint16_t)(ids >> 16), .class = (uint8_t)(class >> 16),
                                 .subclass = (uint8_t)(class >> 8), .progif = (uint8_t)class,
                                 .irq = (uint8_t)irq };
    return 0;
}

uint64_t rs_pci_bar(unsigned bar, uint64_t slot, uint64_t *kind, uint64_t *base, uint64_t *size)
{
    return pci_bar(RS_GIVEN_PCI, bar, slot, kind, base, size);
}

uint64_t rs_pci_map_bar(unsigned bar, uint64_t slot, uint64_t va, volatile uint8_t **regs,
                        uint64_t *size_out)
{
    uint64_t kind = 0, base = 0, size = 0;
    uint64_t e = rs_pci_bar(bar, slot, &kind, &base, &size);
    if (size_out)
        *size_out = size;
    if (!e && kind != PCI_BAR_MEM)
        e = RS_E_TYPE;
    if (!e)
        e = rs_frame_map(slot, va, RS_MAP_WRITE);
    if (!e)
        *regs = (volatile uint8_t *)(va + (base & 0xFFF));
    return e;
}

uint64_t rs_pci_io_bar(unsigned bar, uint64_t slot, uint16_t *port)
{
    uint64_t kind = 0, base = 0, size = 0;
    uint64_t e = rs_pci_bar(bar, slot, &kind, &base, &size);
    if (!e && kind != PCI_BAR_IO)
        e = RS_E_TYPE;
    if (!e)
        e = rs_ioports_enable(slot);
    if (!e)
        *port = (uint16_t)base;
    return e;
}

uint64_t rs_pci_irq(uint64_t slot, uint64_t ntfn, uint64_t bits)
{
    uint64_t line = 0;
    uint64_t e = pci_irq(RS_GIVEN_PCI, slot, &line);
    return e ? e : rs_irq_bind(slot, ntfn, bits);
}

uint64_t rs_pci_dma(uint64_t slot, int *fenced)
{
    uint64_t f = 0;
    uint64_t e = pci_dma(RS_GIVEN_PCI, slot, &f);
    if (!e)
        *fenced = (int)f;
    return e;
}

uint64_t rs_pci_dma_frame(uint64_t dma_slot, uint64_t frame_slot, uint64_t pages, uint64_t va,
                          uint64_t *bus, int *fenced)
{
    uint64_t e = rs_pci_dma(dma_slot, fenced);
    if (!e)
        e = rs_quota_create_dma(RS_SLOT_QUOTA, frame_slot, pages);
    if (!e)
        e = rs_dma_map(dma_slot, frame_slot, bus);
    if (!e)
        e = rs_frame_map(frame_slot, va, RS_MAP_WRITE);
    return e;
}

uint64_t rs_pci_config_read(uint8_t offset, unsigned width, uint32_t *value)
{
    uint64_t v = 0;
    uint64_t e = pci_config_read(RS_GIVEN_PCI, offset, width, &v);
    *value = (uint32_t)v;
    return e;
}

uint64_t rs_pci_config_write(uint8_t offset, unsigned width, uint32_t value)
{
    return pci_config_write(RS_GIVEN_PCI, offset, width, value);
}

uint64_t rs_pci_bus_master(int on)
{
    uint32_t cmd = 0;
    uint64_t e = rs_pci_config_read(0x04, 2, &cmd);
    if (!e)
        e = rs_pci_config_write(0x04, 2, on ? (cmd | 4u) : (cmd & ~4u));
    return e;
}

uint8_t rs_pci_find_cap(uint8_t id, uint8_t from)
{
    uint32_t status = 0, v = 0;
    if (rs_pci_config_read(0x06, 2, &status) || !(status & PCI_CAP_LIST_BIT))
        return 0;
    uint8_t at = 0;
    if (from) {
        if (rs_pci_config_read((uint8_t)(from + 1), 1, &v))
            return 0;
        at = (uint8_t)v;
    } else if (!rs_pci_config_read(PCI_CAP_POINTER, 1, &v)) {
        at = (uint8_t)v;
    }
    for (unsigned n = 0; n < 48 && at >= 0x40; n++) {
        at &= 0xFC;
        uint32_t head = 0;
        if (rs_pci_config_read(at, 2, &head))
            return 0;
        if ((head & 0xFF) == id)
            return at;
        at = (uint8_t)(head >> 8);
    }
    return 0;
}
