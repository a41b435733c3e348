/* Kernel memory: the frame allocator over the boot memory map, the direct map of
 * RAM at DIRECT_MAP_BASE, the kernel's own page tables and kernel object caches. */
#pragma once
#include <stdint.h>
#include "bootinfo.h"
#include "err.h"
#include "slab.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/pagetable.h"

/* Sanitises the memory map, sets up the frame allocator (keeping the kernel, the
 * loader's data and the modules reserved), builds and loads the kernel page
 * tables. Panics only when no usable memory exists at all. */
void mm_init(const struct boot_info *bi);

static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(DIRECT_MAP_BASE + phys);
}

static inline uint64_t virt_to_phys(const void *direct)
{
    return (uint64_t)direct - DIRECT_MAP_BASE;
}

/* Whether [base, end) lies wholly in available RAM (and so in the direct map). */
int mm_is_ram(uint64_t base, uint64_t end);
/* Whether any byte of [base, end) is RAM the kernel manages. */
int mm_overlaps_ram(uint64_t base, uint64_t end);

/* Firmware tables (read-only) and device registers (uncached) the kernel itself
 * reads, mapped at DIRECT_MAP_BASE + phys where the direct map does not reach;
 * NULL if they cannot be. mm_map_mmio refuses RAM. */
const void *mm_map_phys(uint64_t phys, uint64_t len);
volatile void *mm_map_mmio(uint64_t phys, uint64_t len);

/* PTE_NX when the CPU supports no-execute pages, else 0. */
uint64_t mm_nx(void);

/* One zeroed 4 KiB frame, or E_NOMEM. */
err_t frame_alloc(uint64_t *phys);
/* n zeroed, physically contiguous frames, or E_NOMEM. Free each with frame_free(). */
err_t frame_alloc_contig(uint64_t n, uint64_t *phys);
/* Frees a frame from frame_alloc(); a bad or double free is reported, not fatal. */
void frame_free(uint64_t phys);
uint64_t frames_free(void);
uint64_t frames_total(void);

/* Page-table environment over the frame allocator and the direct map. */
extern const struct pt_env mm_pt_env;
/* The kernel's top-level table (physical); user address spaces copy its upper half. */
uint64_t mm_kernel_root(void);

/* Page source for slab caches, backed by frame_alloc(). */
extern const struct slab_source mm_slab_source;
