/* A hostile PCI driver: declared for QEMU's e1000 (8086:100e), it tries what a
 * corrupted driver might. Every refusal is checked: another device, the fields of
 * configuration space it does not own, ports and pages outside its BARs, DMA
 * grants of memory that is not a DMA frame, a second DMA object. With
 * `touch=PORT` it then reads a port it was never given (another device's), which
 * must be a general-protection fault of this task, nothing else. With `held=1`
 * the e1000's own driver holds the device: once the PCI server has been crashed
 * and restarted ("crash-done"), it fails so that RS starts it again with a
 * capability to the new server, which must still refuse it the device. */
#include <stdlib.h>
#include <string.h>
#include <proto/datastore.h>
#include <proto/pci.h>
#include <rs_invoke.h>
#include <rs_io.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "check.h"

enum { MEMBAR = RS_GIVEN_FIRST_FREE, IOBAR, PART, DMADEV, DMADEV2, RAM, DMAFRAME, ANON };

#define REGS_VA 0x600000000ull

static void config_rules(void)
{
    uint32_t v = 0, cmd = 0;
    CHECK_OK(rs_pci_config_read(0x00, 4, &v));
    CHECK(v == 0x100E8086u);
    CHECK_ERR(rs_pci_config_write(0x10, 4, 0xFEB00000u), RS_E_RIGHTS);    /* move BAR0 */
    CHECK_ERR(rs_pci_config_write(0x3C, 1, 5), RS_E_RIGHTS);              /* its line */
    CHECK_ERR(rs_pci_config_write(0x30, 4, 0xFFFFF800u), RS_E_RIGHTS);    /* ROM BAR */
    CHECK_ERR(rs_pci_config_write(0x40, 4, 0), RS_E_RIGHTS);              /* device-specific */
    CHECK_ERR(rs_pci_config_write(0x05, 2, 0), RS_E_ALIGN);
    CHECK_ERR(rs_pci_config_read(0x03, 2, &v), RS_E_ALIGN);
    CHECK_OK(rs_pci_config_read(0x04, 2, &cmd));
    CHECK_ERR(rs_pci_config_write(0x04, 2, cmd ^ 0x0100), RS_E_RIGHTS);   /* SERR enable */
    CHECK_OK(rs_pci_bus_master(1));
    CHECK_OK(rs_pci_config_read(0x04, 2, &v));
    CHECK(v & 4);
    CHECK_OK(rs_pci_bus_master(0));
}

static void bar_rules(void)
{
    uint64_t kind = 0, base = 0, size = 0, first = 0, count = 0;
    volatile uint8_t *regs = 0;
    CHECK_OK(rs_pci_map_bar(0, MEMBAR, REGS_VA, &regs, 0));
    CHECK(regs && (mmio_read32(regs + 0x08) & 0xFFFFFFFFu) != 0xFFFFFFFFu);  /* STATUS */
    CHECK_ERR(rs_frame_split(MEMBAR, 32, 1, PART), RS_E_RANGE);    /* past its 32 pages */
    CHECK_OK(rs_frame_split(MEMBAR, 31, 1, PART));
    rs_cap_delete(PART);
    CHECK_OK(rs_pci_bar(1, IOBAR, &kind, &base, &size));
    CHECK(kind == PCI_BAR_IO && size == 0x40);
    CHECK_OK(rs_ioports_info(IOBAR, &first, &count));
    CHECK_ERR(rs_ioports_split(IOBAR, base + size, 1, PART), RS_E_RANGE);
    CHECK_ERR(rs_ioports_split(IOBAR, base - 1, 2, PART), RS_E_RANGE);
    CHECK_ERR(rs_ioports_split(IOBAR, base, 0, PART), RS_E_RANGE);
    CHECK_ERR(rs_pci_bar(6, PART, &kind, &base, &size), RS_E_NOENT);
    CHECK_ERR(rs_pci_bar(2, PART, &kind, &base, &size), RS_E_NOENT);   /* no BAR 2 */
}

static void dma_rules(void)
{
    int fenced = -1;
    uint64_t addr = 0;
    CHECK_OK(rs_pci_dma(DMADEV, &fenced));
    CHECK(fenced == 0 || fenced == 1);
    int again = -1;
    CHECK_ERR(rs_pci_dma(DMADEV2, &again), RS_E_BUSY);              /* one a function */
    CHECK_ERR(rs_dma_function(DMADEV, 0x18, DMADEV2), RS_E_INVAL);  /* not the bus's */
    CHECK_OK(rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, RAM, 1));
    CHECK_ERR(rs_dma_map(DMADEV, RAM, &addr), RS_E_TYPE);           /* not a DMA frame */
    CHECK_ERR(rs_dma_map(DMADEV, MEMBAR, &addr), RS_E_TYPE);        /* MMIO, not RAM */
    CHECK_ERR(rs_quota_create_dma(RS_SLOT_QUOTA, DMAFRAME, RS_DMA_MAX_PAGES + 1), RS_E_RANGE);
    CHECK_OK(rs_quota_create_dma(RS_SLOT_QUOTA, DMAFRAME, 2));
    CHECK_OK(rs_dma_map(DMADEV, DMAFRAME, &addr));
    CHECK(addr != 0 && addr % 4096 == 0);
    CHECK_ERR(rs_dma_map(DMADEV, DMAFRAME, &addr), RS_E_EXISTS);
    CHECK_OK(rs_dma_unmap(DMADEV, DMAFRAME));
    CHECK_ERR(rs_dma_unmap(DMADEV, DMAFRAME), RS_E_NOENT);
    rs_info("DMA %s", fenced ? "fenced by the IOMMU" : "not fenced");
}

/* What a caller without RS's badge (the name "pci" in the data store) may do. */
static void anonymous_rules(void)
{
    uint64_t bdf, ids, class, irq, count = 0;
    size_t n = 0;
    char text[256];
    if (rs_lookup_wait("pci", ANON, 2000)) {
        CHECK(!"pci in the data store");
        return;
    }
    CHECK_ERR(pci_open(ANON, 0, &bdf, &ids, &class, &irq), RS_E_RIGHTS);
    CHECK_ERR(pci_config_write(ANON, 0x04, 2, 0), RS_E_RIGHTS);
    CHECK_OK(pci_list(ANON, sizeof text, text, sizeof text, &n, &count));
    CHECK(count > 0);
}

/* Whether NAME is published as a value (the crasher's "crash-done"). */
static int published(const char *name)
{
    uint64_t type = 0, ival = 0;
    return !datastore_retrieve(RS_GIVEN_DS, name, strlen(name), 0, 0, 0, &type, &ival);
}

static int held_by_another(void)
{
    struct rs_pci_device d;
    if (rs_incarnation() == 1) {
        for (int t = 0; t < 1000 && !published("crash-done"); t++)
            rs_sleep(10);
        rs_info("the PCI server has been restarted: starting again to reach the new one");
        return 1;
    }
    CHECK(rs_service_wait_running("pci", 5000) == RS_SVC_RUNNING);
    CHECK_ERR(rs_pci_open(0, &d), RS_E_BUSY);
    int status = check_done("pcievil");
    for (;;)
        rs_sleep(1000);             /* permanent for this test: no restart loop */
    return status;
}

int main(void)
{
    struct rs_pci_device d;
    char port[16];
    rs_service_ready();
    if (rs_arg("held", port, sizeof port))
        return held_by_another();
    CHECK_OK(rs_pci_open(0, &d));
    CHECK(d.vendor == 0x8086 && d.device == 0x100E);
    struct rs_pci_device other;
    CHECK_ERR(rs_pci_open(1, &other), RS_E_NOENT);     /* no second e1000 */
    config_rules();
    bar_rules();
    dma_rules();
    anonymous_rules();
    int status = check_done("pcievil");
    if (rs_arg("touch", port, sizeof port)) {
        rs_info("reading port %s, which is not mine", port);
        (void)inb((uint16_t)strtoul(port, 0, 0));
        rs_error("PORT ISOLATION BROKEN: read a port I was never given");
        return 3;
    }
    return status;
}
