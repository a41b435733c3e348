/* libFuzzer harness for mb2_parse (kernel/mb2.c); the input is a Multiboot2
 * information structure. Contract checked (kernel/bootinfo.h): the parser reads only
 * the declared total_size bytes; the result is E_OK, E_TRUNC or E_FORMAT; protocol,
 * info_phys and info_size (= the declared total_size) are set; nmodules <=
 * BOOT_MAX_MODULES and nregions <= BOOT_MAX_REGIONS; every string is NUL-terminated
 * in its array; and everything in *out, on success and (what was parsed before the
 * problem) on error, is what an independent walk of the tags inside total_size finds,
 * with the same error. The structure is "readable for its declared total size": when
 * total_size is larger than the input, the input lies at the start of a zero-filled
 * mapping, so every size up to MB2_INFO_MAX is reachable; a larger one must be refused
 * (E_FORMAT, info_size 0) with nothing read beyond the input. */
#include <sanitizer/asan_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include "bootinfo.h"
#include "fuzz.h"
#include "fuzz_bootinfo.h"

#define INFO_PHYS 0x9000
#define SPARSE_SIZE (MB2_INFO_MAX + 65536ull)
#define GUARD 4096

/* ---- The reference walk, written from the Multiboot2 specification ---- */

static void ref_string(char *dst, size_t dst_size, const uint8_t *src, uint64_t src_len)
{
    size_t n = 0;
    while (n + 1 < dst_size && n < src_len && src[n])
        n++;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void ref_module(struct boot_info *r, const uint8_t *tag, uint64_t size)
{
    if (r->nmodules == BOOT_MAX_MODULES) {
        r->dropped_modules++;
        return;
    }
    struct boot_module *m = &r->modules[r->nmodules++];
    m->start = ld32(tag + 8);
    m->end = ld32(tag + 12);
    ref_string(m->string, sizeof m->string, tag + 16, size - 16);
}

static void ref_region(struct boot_info *r, const uint8_t *e)
{
    if (r->nregions == BOOT_MAX_REGIONS) {
        r->dropped_regions++;
        return;
    }
    r->regions[r->nregions++] = (struct mem_region){ ld64(e), ld64(e + 8), ld32(e + 16) };
}

static err_t ref_parse(const uint8_t *b, struct boot_info *r)
{
    uint64_t total = ld32(b);
    memset(r, 0, sizeof *r);
    r->info_phys = INFO_PHYS;
    r->info_size = total;
    if (total > MB2_INFO_MAX) {
        r->info_size = 0;
        return E_FORMAT;
    }
    if (total < 16)
        return E_TRUNC;
    for (uint64_t off = 8; off + 8 <= total; off += (uint64_t)(ld32(b + off + 4) + 7ull) & ~7ull) {
        const uint8_t *t = b + off;
        uint64_t type = ld32(t), size = ld32(t + 4);
        if (size < 8)
            return E_FORMAT;
        if (off + size > total)
            return E_TRUNC;
        switch (type) {
        case 0:
            return E_OK;
        case 1:
            ref_string(r->cmdline, sizeof r->cmdline, t + 8, size - 8);
            break;
        case 2:
            ref_string(r->loader_name, sizeof r->loader_name, t + 8, size - 8);
            break;
        case 3:
            if (size < 16)
                return E_FORMAT;
            ref_module(r, t, size);
            break;
        case 6: {
            if (size < 16)
                return E_FORMAT;
            uint64_t esize = ld32(t + 8), p = 16;
            if (esize < 24 || esize % 8)
                return E_FORMAT;
            for (; p + esize <= size; p += esize)
                ref_region(r, t + p);
            if (p != size)
                return E_TRUNC;
            break;
        }
        }
    }
    return E_TRUNC;
}

/* ---- Comparison ---- */

static void check(err_t e, const struct boot_info *bi, const uint8_t *info)
{
    struct boot_info *want = malloc(sizeof *want);
    err_t we = ref_parse(info, want);
    CHECK(e == E_OK || e == E_TRUNC || e == E_FORMAT, "unexpected error %d", e);
    CHECK(bi->protocol && strcmp(bi->protocol, "multiboot2") == 0, "protocol");
    CHECK(bi->info_phys == INFO_PHYS, "info_phys %#lx", bi->info_phys);
    CHECK(bi->info_size == want->info_size, "info_size %lu, total_size says %lu",
          bi->info_size, want->info_size);
    check_boot_info(e, we, bi, want, "the tags");
    free(want);
}

static uint8_t *sparse;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t head[4] = { 0 };
    memcpy(head, data, size < 4 ? size : 4);
    uint32_t total = ld32(head);
    struct boot_info *bi = malloc(sizeof *bi);
    memset(bi, 0xA5, sizeof *bi);
    if (total <= size || total < 4 || total > MB2_INFO_MAX) {
        /* Exactly total_size readable bytes (at least the size field itself); only
         * the input's bytes for a total_size the parser must refuse unread. */
        size_t n = total < 4 ? 4 : total > MB2_INFO_MAX ? (size < 4 ? 4 : size) : total;
        uint8_t *info = malloc(n);
        memcpy(info, head, 4);
        memcpy(info, data, size < n ? size : n);
        err_t e = mb2_parse(info, INFO_PHYS, bi);
        check(e, bi, info);
        free(info);
    } else {
        if (!sparse) {
            sparse = mmap(NULL, SPARSE_SIZE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            CHECK(sparse != MAP_FAILED, "cannot map the sparse structure");
        }
        memcpy(sparse, data, size);
        ASAN_POISON_MEMORY_REGION(sparse + total, GUARD);
        err_t e = mb2_parse(sparse, INFO_PHYS, bi);
        ASAN_UNPOISON_MEMORY_REGION(sparse + total, GUARD);
        check(e, bi, sparse);
        memset(sparse, 0, size);
    }
    free(bi);
    return 0;
}
