/* Kernel memory set-up (see mm.h). Runs once at boot on the loader's 1 GiB boot
 * mapping, then switches to page tables that map the kernel image with proper
 * permissions and all RAM at DIRECT_MAP_BASE. The lower half stays empty for users. */
#include "console.h"
#include "kstring.h"
#include "memmap.h"
#include "mm.h"
#include "panic.h"
#include "pmm.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/stacks.h"

#define BOOT_MAPPED_LIMIT (1ull << 30)      /* what boot.asm's tables cover */
#define LOW_MEMORY_END 0x100000ull          /* BIOS area, kept out of the allocator */

struct reserved {
    uint64_t base, end;
};

extern char _kernel_start[], _rodata_start[], _data_start[], _kernel_end[];

static struct pmm pmm;
static uint64_t kernel_root;
static uint64_t nx_bit;
static struct mem_region regions[BOOT_MAX_REGIONS];
static unsigned nregions;
static struct reserved reserved[BOOT_MAX_MODULES + 4];
static unsigned nreserved;

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
static uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

static void reserve(uint64_t base, uint64_t end)
{
    if (end > base)
        reserved[nreserved++] = (struct reserved){ base, end };
}

static void collect_reserved(const struct boot_info *bi)
{
    reserve(0, LOW_MEMORY_END);
    reserve(KERNEL_PHYS, (uint64_t)_kernel_end - KERNEL_VMA);
    reserve(bi->info_phys, bi->info_phys + bi->info_size);
    for (unsigned i = 0; i < bi->nmodules; i++)
        reserve(bi->modules[i].start, bi->modules[i].end);
}

static void sanitize_map(const struct boot_info *bi)
{
    struct memmap_report rep;
    err_t e = memmap_sanitize(bi->regions, bi->nregions, regions, BOOT_MAX_REGIONS,
                              &nregions, &rep);
    if (e)
        kprintf("mm: memory map too fragmented, using the first %u regions\n", nregions);
    kprintf("memory map (%u entries from the loader, %u after sanitising):\n",
            bi->nregions, nregions);
    for (unsigned i = 0; i < nregions; i++)
        kprintf("  0x%012lx-0x%012lx %s\n", regions[i].base, regions[i].base + regions[i].len,
                memmap_type_name(regions[i].type));
    if (rep.holes)
        kprintf("mm: %u holes in the map are left unused\n", rep.holes);
    if (rep.overlaps || rep.empty || rep.wrapped || bi->dropped_regions)
        kprintf("mm: warning: memory map had %u overlapping, %u empty, %u wrapping and "
                "%u dropped entries; resolved conservatively (reserved wins)\n",
                rep.overlaps, rep.empty, rep.wrapped, bi->dropped_regions);
    if (rep.usable == 0)
        panic("mm_init: the memory map has no available memory");
}

/* First place in available memory below the boot mapping for `size` bytes that
 * avoids every reserved range; 0 when there is none. */
static uint64_t find_free_spot(uint64_t size)
{
    for (unsigned i = 0; i < nregions; i++) {
        if (regions[i].type != MEM_AVAILABLE)
            continue;
        uint64_t a = align_up(regions[i].base, PAGE_SIZE);
        uint64_t end = regions[i].base + regions[i].len;
        if (end > BOOT_MAPPED_LIMIT)
            end = BOOT_MAPPED_LIMIT;
        for (unsigned j = 0; j < nreserved && a + size <= end; j++) {
            if (a < reserved[j].end && reserved[j].base < a + size) {
                a = align_up(reserved[j].end, PAGE_SIZE);
                j = (unsigned)-1;           /* rescan: the move may hit another */
            }
        }
        if (a + size <= end)
            return a;
    }
    return 0;
}

static void init_frames(void)
{
    uint64_t top = 0;
    for (unsigned i = 0; i < nregions; i++)
        if (regions[i].type == MEM_AVAILABLE)
            top = regions[i].base + regions[i].len;
    uint64_t nframes = top / PMM_FRAME;
    uint64_t bytes = align_up(pmm_bitmap_bytes(nframes), PAGE_SIZE);
    uint64_t spot = find_free_spot(bytes);
    if (!spot)
        panic("mm_init: no room for the frame bitmap (%lu bytes)", bytes);
    pmm_init(&pmm, phys_to_virt(spot), nframes);
    for (unsigned i = 0; i < nregions; i++)
        if (regions[i].type == MEM_AVAILABLE)
            pmm_release_range(&pmm, regions[i].base, regions[i].len);
    for (unsigned j = 0; j < nreserved; j++)
        pmm_reserve_range(&pmm, reserved[j].base, reserved[j].end - reserved[j].base);
    pmm_reserve_range(&pmm, spot, bytes);
}

err_t frame_alloc(uint64_t *phys)
{
    err_t e = pmm_alloc(&pmm, phys);
    if (!e)
        memset(phys_to_virt(*phys), 0, PAGE_SIZE);
    return e;
}

err_t frame_alloc_contig(uint64_t n, uint64_t *phys)
{
    err_t e = pmm_alloc_contig(&pmm, n, phys);
    if (!e)
        memset(phys_to_virt(*phys), 0, n * PAGE_SIZE);
    return e;
}

void frame_free(uint64_t phys)
{
    err_t e = pmm_free(&pmm, phys);
    if (e)
        kprintf("mm: frame_free(%#lx) refused: %s\n", phys, err_name(e));
}

int mm_overlaps_ram(uint64_t base, uint64_t end)
{
    for (unsigned i = 0; i < nregions; i++) {
        const struct mem_region *r = &regions[i];
        if (r->type == MEM_AVAILABLE && base < r->base + r->len && r->base < end)
            return 1;
    }
    return 0;
}

int mm_is_ram(uint64_t base, uint64_t end)
{
    for (unsigned i = 0; i < nregions; i++) {
        const struct mem_region *r = &regions[i];
        if (r->type == MEM_AVAILABLE && base >= r->base && end <= r->base + r->len)
            return 1;
    }
    return 0;
}

uint64_t mm_nx(void)
{
    return nx_bit;
}

uint64_t frames_free(void) { return pmm.nfree; }
uint64_t frames_total(void) { return pmm.nframes; }
uint64_t mm_kernel_root(void) { return kernel_root; }

static err_t env_alloc(void *ctx, uint64_t *phys) { (void)ctx; return frame_alloc(phys); }
static void env_free(void *ctx, uint64_t phys) { (void)ctx; frame_free(phys); }
static void *env_p2v(void *ctx, uint64_t phys) { (void)ctx; return phys_to_virt(phys); }

const struct pt_env mm_pt_env = { 0, env_alloc, env_free, env_p2v };

static void *slab_get(void *ctx)
{
    (void)ctx;
    uint64_t phys;
    return frame_alloc(&phys) ? 0 : phys_to_virt(phys);
}

static void slab_put(void *ctx, void *page) { (void)ctx; frame_free(virt_to_phys(page)); }

const struct slab_source mm_slab_source = { 0, slab_get, slab_put };

static void map_or_panic(uint64_t va, uint64_t pa, uint64_t flags, int large)
{
    err_t e = large ? pt_map_large(&mm_pt_env, kernel_root, va, pa, flags)
                    : pt_map(&mm_pt_env, kernel_root, va, pa, flags);
    if (e && e != E_EXISTS)
        panic("mm_init: cannot map %#lx -> %#lx: %s", va, pa, err_name(e));
}

static void map_kernel_image(void)
{
    for (uint64_t va = (uint64_t)_kernel_start; va < (uint64_t)_kernel_end; va += PAGE_SIZE) {
        if (stack_guard_name(va))
            continue;               /* guard pages stay unmapped */
        uint64_t flags = PTE_G;
        if (va >= (uint64_t)_data_start)
            flags |= PTE_W | nx_bit;
        else if (va >= (uint64_t)_rodata_start)
            flags |= nx_bit;
        map_or_panic(va, va - KERNEL_VMA, flags, 0);
    }
}

static void map_direct(void)
{
    for (unsigned i = 0; i < nregions; i++) {
        if (regions[i].type != MEM_AVAILABLE && regions[i].type != MEM_ACPI_RECLAIMABLE)
            continue;
        uint64_t a = align_down(regions[i].base, LARGE_PAGE_SIZE);
        uint64_t end = align_up(regions[i].base + regions[i].len, LARGE_PAGE_SIZE);
        for (; a < end; a += LARGE_PAGE_SIZE)
            map_or_panic(DIRECT_MAP_BASE + a, a, PTE_W | PTE_G | nx_bit, 1);
    }
}

/* Maps the pages of [phys, phys + len) at DIRECT_MAP_BASE + phys where nothing
 * is mapped yet, with flags; NULL if a page cannot be mapped. Boot-time only. */
static void *map_phys(uint64_t phys, uint64_t len, uint64_t flags)
{
    if (!len || phys + len < phys || phys + len > (1ull << 40))
        return 0;
    for (uint64_t a = align_down(phys, PAGE_SIZE); a < phys + len; a += PAGE_SIZE) {
        uint64_t pa, f;
        if (!pt_lookup(&mm_pt_env, kernel_root, DIRECT_MAP_BASE + a, &pa, &f))
            continue;
        if (pt_map(&mm_pt_env, kernel_root, DIRECT_MAP_BASE + a, a, flags | PTE_G | nx_bit))
            return 0;
    }
    return phys_to_virt(phys);
}

const void *mm_map_phys(uint64_t phys, uint64_t len)
{
    return map_phys(phys, len, 0);
}

volatile void *mm_map_mmio(uint64_t phys, uint64_t len)
{
    if (mm_overlaps_ram(phys, phys + len))
        return 0;
    return map_phys(phys, len, PTE_W | PTE_PCD | PTE_PWT);
}

void mm_init(const struct boot_info *bi)
{
    nx_bit = (rdmsr(MSR_EFER) & (1u << 11)) ? PTE_NX : 0;
    sanitize_map(bi);
    collect_reserved(bi);
    init_frames();
    if (frame_alloc(&kernel_root))
        panic("mm_init: no frame for the kernel page table");
    map_kernel_image();
    map_direct();
    write_cr3(kernel_root);
    kprintf("mm: %lu KiB free in %lu frames, kernel %lu KiB, page tables live\n",
            pmm.nfree * 4, pmm.nfree, ((uint64_t)_kernel_end - (uint64_t)_kernel_start) / 1024);
}
