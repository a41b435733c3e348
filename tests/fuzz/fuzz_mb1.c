/* libFuzzer harness for mb1_parse (kernel/mb1.c). The input is a small physical
 * address space [PHYS_BASE, PHYS_BASE + size) with the Multiboot1 information
 * structure at PHYS_BASE; the reader hands out pointers into it (at any alignment the
 * loader's pointers ask for) and refuses every range that is not wholly inside.
 * Contract checked (kernel/bootinfo.h): the result is E_OK, E_TRUNC, E_FORMAT or
 * E_NOENT (no memory map); the parser touches only bytes the reader handed out (ASan);
 * protocol, info_phys and info_size (the 68-byte structure) are set; nmodules <=
 * BOOT_MAX_MODULES and nregions <= BOOT_MAX_REGIONS; every string is NUL-terminated in
 * its array; and everything in *out, on success and (what was parsed before the
 * problem) on error, is what an independent walk of the structure finds, with the
 * same error. */
#include <stddef.h>
#include <stdint.h>
#include "bootinfo.h"
#include "fuzz.h"
#include "fuzz_bootinfo.h"

#define PHYS_BASE 0x10000ull
#define INFO_SIZE 68            /* flags .. boot_loader_name, Multiboot 0.6.96 3.3 */

struct space {
    const uint8_t *mem;
    uint64_t size;
};

static int inside(const struct space *s, uint64_t phys, uint64_t len)
{
    return phys >= PHYS_BASE && phys - PHYS_BASE <= s->size
        && len <= s->size - (phys - PHYS_BASE);
}

static const void *reader(void *ctx, uint64_t phys, uint64_t len)
{
    struct space *s = ctx;
    return inside(s, phys, len) ? s->mem + (phys - PHYS_BASE) : NULL;
}

/* ---- The reference walk, written from the Multiboot1 specification ---- */

static uint32_t at32(const struct space *s, uint64_t phys)
{
    return ld32(s->mem + (phys - PHYS_BASE));
}

/* A NUL-terminated string at phys, at most size - 1 characters kept; E_TRUNC if it
 * runs out of the space before its terminator (the characters before stay). */
static err_t ref_string(const struct space *s, uint64_t phys, char *dst, unsigned size)
{
    unsigned n = 0;
    for (; n + 1 < size; n++) {
        if (!inside(s, phys + n, 1))
            return E_TRUNC;
        char c = (char)s->mem[phys + n - PHYS_BASE];
        if (!c)
            break;
        dst[n] = c;
    }
    dst[n] = '\0';
    return E_OK;
}

static err_t ref_parse(const struct space *s, struct boot_info *r)
{
    memset(r, 0, sizeof *r);
    r->info_phys = PHYS_BASE;
    r->info_size = INFO_SIZE;
    if (!inside(s, PHYS_BASE, INFO_SIZE))
        return E_TRUNC;
    uint32_t flags = at32(s, PHYS_BASE);
    uint32_t cmdline = at32(s, PHYS_BASE + 16), loader = at32(s, PHYS_BASE + 64);
    if ((flags & 1u << 2) && cmdline && ref_string(s, cmdline, r->cmdline, sizeof r->cmdline))
        return E_TRUNC;
    if ((flags & 1u << 9) && loader
        && ref_string(s, loader, r->loader_name, sizeof r->loader_name))
        return E_TRUNC;
    if (flags & 1u << 3) {
        uint64_t count = at32(s, PHYS_BASE + 20), addr = at32(s, PHYS_BASE + 24);
        if (!inside(s, addr, count * 16))
            return E_TRUNC;
        for (uint64_t i = 0; i < count; i++) {
            uint64_t m = addr + 16 * i;
            char str[BOOT_STRING_MAX] = "";
            if (at32(s, m + 8) && ref_string(s, at32(s, m + 8), str, sizeof str))
                return E_TRUNC;
            if (r->nmodules == BOOT_MAX_MODULES) {
                r->dropped_modules++;
                continue;
            }
            struct boot_module *bm = &r->modules[r->nmodules++];
            bm->start = at32(s, m);
            bm->end = at32(s, m + 4);
            memcpy(bm->string, str, sizeof str);
        }
    }
    if (!(flags & 1u << 6))
        return E_NOENT;
    uint64_t len = at32(s, PHYS_BASE + 44), addr = at32(s, PHYS_BASE + 48), off = 0;
    if (!inside(s, addr, len))
        return E_TRUNC;
    while (off + 24 <= len) {
        const uint8_t *e = s->mem + (addr - PHYS_BASE) + off;
        if (ld32(e) < 20)
            return E_FORMAT;
        if (r->nregions == BOOT_MAX_REGIONS)
            r->dropped_regions++;
        else
            r->regions[r->nregions++] = (struct mem_region){ ld64(e + 4), ld64(e + 12),
                                                             ld32(e + 20) };
        off += 4ull + ld32(e);
    }
    return off == len ? E_OK : E_TRUNC;
}

/* ---- Comparison ---- */

static void check(err_t e, const struct boot_info *bi, const struct space *s)
{
    struct boot_info *want = malloc(sizeof *want);
    err_t we = ref_parse(s, want);
    CHECK(e == E_OK || e == E_TRUNC || e == E_FORMAT || e == E_NOENT, "unexpected error %d", e);
    CHECK(bi->protocol && strcmp(bi->protocol, "multiboot1") == 0, "protocol");
    CHECK(bi->info_phys == PHYS_BASE, "info_phys %#lx", bi->info_phys);
    CHECK(bi->info_size == INFO_SIZE, "info_size %lu", bi->info_size);
    check_boot_info(e, we, bi, want, "the structure");
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly `size` bytes, so ASan sees any read past the space. */
    uint8_t *mem = malloc(size ? size : 1);
    memcpy(mem, data, size);
    struct space s = { mem, size };
    struct boot_info *bi = malloc(sizeof *bi);
    memset(bi, 0xA5, sizeof *bi);
    err_t e = mb1_parse(PHYS_BASE, reader, &s, bi);
    check(e, bi, &s);
    free(bi);
    free(mem);
    return 0;
}
