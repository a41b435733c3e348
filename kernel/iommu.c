/* Intel VT-d DMA remapping, legacy (root/context) mode with second-level tables
 * (see iommu.h). Register offsets and bit positions are those of the VT-d
 * specification, chapter 11. Every wait on the hardware is bounded. */
#include "acpi.h"
#include "console.h"
#include "dma.h"
#include "iommu.h"
#include "kstring.h"
#include "mm.h"

#define REG_CAP    0x08
#define REG_ECAP   0x10
#define REG_GCMD   0x18
#define REG_GSTS   0x1C
#define REG_RTADDR 0x20
#define REG_CCMD   0x28
#define REG_FSTS   0x34
#define REG_FECTL  0x38

#define GCMD_TE   (1u << 31)
#define GCMD_SRTP (1u << 30)
#define GSTS_ONE_SHOT_MASK 0x96FFFFFFu  /* GSTS bits that are not one-shot commands */
#define CCMD_ICC_GLOBAL ((1ull << 63) | (1ull << 61))
#define IOTLB_IVT_GLOBAL ((1ull << 63) | (1ull << 60))
#define FSTS_PFO 1u
#define FRCD_F   (1u << 31)             /* in the record's last dword */
#define SL_READ  1ull
#define SL_WRITE 2ull
#define SL_ADDR  0x000FFFFFFFFFF000ull
#define SPIN_MAX 1000000u
#define FAULTS_PER_POLL 8

static volatile uint8_t *regs;
static uint64_t *root_table, *context_table;   /* bus 0 only: QEMU's devices are there */
static unsigned levels, nfr, fro, iro;
static int enabled;

int iommu_enabled(void) { return enabled; }

static uint32_t rd32(unsigned off) { return *(volatile uint32_t *)(regs + off); }
static uint64_t rd64(unsigned off) { return *(volatile uint64_t *)(regs + off); }
static void wr32(unsigned off, uint32_t v) { *(volatile uint32_t *)(regs + off) = v; }
static void wr64(unsigned off, uint64_t v) { *(volatile uint64_t *)(regs + off) = v; }

/* Sets or clears one GCMD bit and waits for its status. */
static int command(uint32_t bit, int on)
{
    uint32_t v = rd32(REG_GSTS) & GSTS_ONE_SHOT_MASK;
    wr32(REG_GCMD, on ? v | bit : v & ~bit);
    for (unsigned i = 0; i < SPIN_MAX; i++) {
        uint32_t s = rd32(REG_GSTS);
        if (bit == GCMD_SRTP ? (s & bit) : (!!(s & bit) == on))
            return 0;
    }
    return -1;
}

static int wait_clear64(unsigned off, uint64_t bit)
{
    for (unsigned i = 0; i < SPIN_MAX; i++)
        if (!(rd64(off) & bit))
            return 0;
    return -1;
}

static void invalidate_context(void)
{
    wr64(REG_CCMD, CCMD_ICC_GLOBAL);
    if (wait_clear64(REG_CCMD, 1ull << 63))
        kprintf("iommu: context-cache invalidation did not finish\n");
}

void iommu_flush(void)
{
    if (!enabled)
        return;
    wr64(iro + 8, IOTLB_IVT_GLOBAL);
    if (wait_clear64(iro + 8, 1ull << 63))
        kprintf("iommu: IOTLB invalidation did not finish\n");
}

static uint64_t *zeroed_page(uint64_t *phys)
{
    return frame_alloc(phys) ? 0 : phys_to_virt(*phys);
}

/* Levels for the widest address width the unit supports that we can walk. */
static unsigned pick_levels(uint64_t cap)
{
    unsigned sagaw = (unsigned)(cap >> 8) & 0x1F;
    return (sagaw & 4) ? 4 : (sagaw & 2) ? 3 : 0;
}

static int enable(uint64_t base)
{
    regs = mm_map_mmio(base, 4096);
    if (!regs)
        return -1;
    uint64_t cap = rd64(REG_CAP), ecap = rd64(REG_ECAP), root_phys, ctx_phys;
    levels = pick_levels(cap);
    fro = (unsigned)((cap >> 24) & 0x3FF) * 16;
    nfr = (unsigned)((cap >> 40) & 0xFF) + 1;
    iro = (unsigned)((ecap >> 8) & 0x3FF) * 16;
    if (!levels || fro + 16 * nfr > 4096 || iro + 16 > 4096) {
        kprintf("iommu: VT-d unit at %#lx not usable (cap %#lx ecap %#lx)\n", base, cap, ecap);
        return -1;
    }
    root_table = zeroed_page(&root_phys);
    context_table = zeroed_page(&ctx_phys);
    if (!root_table || !context_table)
        return -1;
    root_table[0] = ctx_phys | 1;           /* bus 0: every entry not present yet */
    wr64(REG_RTADDR, root_phys);
    if (command(GCMD_SRTP, 1))
        return -1;
    invalidate_context();
    enabled = 1;
    iommu_flush();
    wr32(REG_FECTL, 1u << 31);              /* no fault interrupt: the timer polls */
    if (command(GCMD_TE, 1)) {
        enabled = 0;
        return -1;
    }
    return 0;
}

void iommu_init(void)
{
    unsigned haw = 0;
    uint64_t base = acpi_find_dmar(&haw);
    if (!base) {
        kprintf("iommu: none: DMA is not fenced, drivers of DMA devices are trusted\n");
        return;
    }
    if (enable(base)) {
        kprintf("iommu: cannot enable the VT-d unit at %#lx: DMA drivers are trusted\n", base);
        return;
    }
    kprintf("iommu: VT-d at %#lx, %u-level tables, %u fault records: each device "
            "reaches only the frames its driver granted\n", base, levels, nfr);
}

err_t iommu_space_new(struct iommu_space *s)
{
    s->tables = 0;
    if (!zeroed_page(&s->root))
        return E_NOMEM;
    s->tables = 1;
    return E_OK;
}

/* The entry for iova at the last level, making tables on the way when `make`. */
static uint64_t *walk(struct iommu_space *s, uint64_t iova, int make, unsigned *grew)
{
    uint64_t *t = phys_to_virt(s->root);
    for (unsigned l = levels - 1; l > 0; l--) {
        uint64_t *e = &t[(iova >> (12 + 9 * l)) & 511];
        if (!(*e & (SL_READ | SL_WRITE))) {
            uint64_t phys;
            if (!make || !zeroed_page(&phys))
                return 0;
            *e = phys | SL_READ | SL_WRITE;
            s->tables++;
            (*grew)++;
        }
        t = phys_to_virt(*e & SL_ADDR);
    }
    return &t[(iova >> 12) & 511];
}

err_t iommu_map(struct iommu_space *s, uint64_t iova, uint64_t pa, unsigned *grew)
{
    uint64_t *e = walk(s, iova, 1, grew);
    if (!e)
        return E_NOMEM;
    if (*e)
        return E_EXISTS;
    *e = (pa & SL_ADDR) | SL_READ | SL_WRITE;
    return E_OK;
}

void iommu_unmap(struct iommu_space *s, uint64_t iova)
{
    unsigned grew = 0;
    uint64_t *e = walk(s, iova, 0, &grew);
    if (e)
        *e = 0;
}

static void free_level(uint64_t phys, unsigned l)
{
    uint64_t *t = phys_to_virt(phys);
    for (unsigned i = 0; l > 0 && i < 512; i++)
        if (t[i] & (SL_READ | SL_WRITE))
            free_level(t[i] & SL_ADDR, l - 1);  /* depth <= levels (4): bounded */
    frame_free(phys);
}

void iommu_space_free(struct iommu_space *s)
{
    if (s->root)
        free_level(s->root, levels - 1);
    s->root = 0;
    s->tables = 0;
}

void iommu_attach(uint32_t bdf, uint16_t domain, const struct iommu_space *s)
{
    if (!enabled || (bdf >> 8) != 0)
        return;
    uint64_t *c = &context_table[2 * (bdf & 0xFF)];
    c[1] = (uint64_t)(levels - 2) | (uint64_t)domain << 8;     /* AW: 1 = 3 levels */
    c[0] = s->root | 1;                                       /* translation type 0 */
    invalidate_context();
    iommu_flush();
}

void iommu_detach(uint32_t bdf)
{
    if (!enabled || (bdf >> 8) != 0)
        return;
    context_table[2 * (bdf & 0xFF)] = 0;
    context_table[2 * (bdf & 0xFF) + 1] = 0;
    invalidate_context();
    iommu_flush();
}

void iommu_poll(void)
{
    if (!enabled || !(rd32(REG_FSTS) & 3))
        return;
    for (unsigned i = 0, n = 0; i < nfr && n < FAULTS_PER_POLL; i++) {
        unsigned at = fro + 16 * i;
        uint32_t hi = rd32(at + 12);
        if (!(hi & FRCD_F))
            continue;
        uint64_t lo = rd64(at);
        uint32_t sid = rd32(at + 8) & 0xFFFF, reason = hi & 0xFF;
        int write = !(hi & (1u << 30));
        wr32(at + 12, FRCD_F);              /* write 1 to clear */
        dma_fault(sid, lo & ~0xFFFull, write, reason);
        n++;
    }
    wr32(REG_FSTS, FSTS_PFO);
}
