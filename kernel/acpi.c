/* The ACPI tables' route to the DMAR table (see acpi.h). Tables are read through
 * mm_map_phys, which maps the firmware's pages read-only where the direct map
 * does not already cover them. */
#include "acpi.h"
#include "console.h"
#include "kstring.h"
#include "mm.h"

#define TABLE_MAX   0x10000u        /* larger than any table we read */
#define ENTRIES_MAX 64

struct sdt {
    char sig[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

static int sum_ok(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s == 0;
}

/* The table at phys if it is whole, checksummed and not absurdly long, else NULL. */
static const struct sdt *table_at(uint64_t phys)
{
    const struct sdt *t = mm_map_phys(phys, sizeof *t);
    if (!t || t->length < sizeof *t || t->length > TABLE_MAX)
        return 0;
    t = mm_map_phys(phys, t->length);
    return t && sum_ok((const uint8_t *)t, t->length) ? t : 0;
}

static uint64_t find_rsdp(void)
{
    const uint8_t *bios = mm_map_phys(0xE0000, 0x20000);
    for (uint32_t off = 0; bios && off < 0x20000; off += 16)
        if (!memcmp(bios + off, "RSD PTR ", 8) && sum_ok(bios + off, 20))
            return 0xE0000 + off;
    return 0;
}

/* The table with signature sig listed by the RSDT/XSDT, or NULL. */
static const struct sdt *find_table(const char *sig)
{
    uint64_t rsdp = find_rsdp();
    const uint8_t *r = rsdp ? mm_map_phys(rsdp, 36) : 0;
    if (!r)
        return 0;
    uint32_t rsdt;
    uint64_t xsdt = 0;
    memcpy(&rsdt, r + 16, 4);
    if (r[15] >= 2 && sum_ok(r, 36))
        memcpy(&xsdt, r + 24, 8);
    const struct sdt *root = table_at(xsdt ? xsdt : rsdt);
    unsigned width = xsdt ? 8 : 4;
    if (!root)
        return 0;
    unsigned n = (root->length - sizeof *root) / width;
    for (unsigned i = 0; i < n && i < ENTRIES_MAX; i++) {
        uint64_t at = 0;
        memcpy(&at, (const uint8_t *)(root + 1) + i * width, width);
        const struct sdt *t = table_at(at);
        if (t && !memcmp(t->sig, sig, 4))
            return t;
    }
    return 0;
}

uint64_t acpi_find_dmar(unsigned *haw)
{
    const struct sdt *d = find_table("DMAR");
    if (!d || d->length < 48)
        return 0;
    const uint8_t *p = (const uint8_t *)d;
    *haw = p[36] + 1u;
    for (uint32_t at = 48; at + 16 <= d->length;) {
        uint16_t type, len;
        memcpy(&type, p + at, 2);
        memcpy(&len, p + at + 2, 2);
        if (len < 4 || at + len > d->length)
            break;                  /* a malformed structure ends the walk */
        uint16_t segment;
        memcpy(&segment, p + at + 6, 2);
        if (type == 0 && segment == 0 && len >= 16) {
            uint64_t base;
            memcpy(&base, p + at + 8, 8);
            return base;
        }
        at += len;
    }
    kprintf("iommu: the DMAR table has no remapping unit for PCI segment 0\n");
    return 0;
}
