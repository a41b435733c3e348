/* x86-64 4-level page tables. Pure logic: table memory comes from the caller's
 * pt_env, so the same code runs in the kernel and in host unit tests. */
#pragma once
#include <stdint.h>
#include "../../err.h"

#define PTE_P     (1ull << 0)
#define PTE_W     (1ull << 1)
#define PTE_U     (1ull << 2)
#define PTE_PWT   (1ull << 3)
#define PTE_PCD   (1ull << 4)
#define PTE_A     (1ull << 5)
#define PTE_D     (1ull << 6)
#define PTE_PS    (1ull << 7)
#define PTE_G     (1ull << 8)
#define PTE_IMAGE (1ull << 9)   /* software: a page of the task's own program image */
#define PTE_NX    (1ull << 63)
#define PTE_ADDR  0x000FFFFFFFFFF000ull
#define PTE_FLAGS (~PTE_ADDR)

struct pt_env {
    void *ctx;
    /* A zeroed 4 KiB table: its physical address, or E_NOMEM. */
    err_t (*alloc_table)(void *ctx, uint64_t *phys);
    void (*free_table)(void *ctx, uint64_t phys);
    /* Where the kernel (or test) can read and write physical memory. */
    void *(*phys_to_virt)(void *ctx, uint64_t phys);
};

/* Whether va is canonical (bits 63..47 all equal). */
int pt_canonical(uint64_t va);

/* Maps the 4 KiB page at va to pa with flags (PTE_P is implied). Creates missing
 * tables. E_ALIGN for unaligned addresses, E_RANGE for a non-canonical va or a pa
 * beyond 52 bits, E_EXISTS if va (or a large page over it) is mapped, E_NOMEM. */
err_t pt_map(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa,
             uint64_t flags);

/* As pt_map, for a 2 MiB page (both addresses 2 MiB aligned). */
err_t pt_map_large(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa,
                   uint64_t flags);

/* Removes the 4 KiB mapping at va and returns its frame in *pa. E_NOENT if absent. */
err_t pt_unmap(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *pa);

/* Translates va: physical address (with the page offset) and the leaf's flags. */
err_t pt_lookup(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *pa,
                uint64_t *flags);

/* The last-level table covering the 2 MiB-aligned va (created with the levels
 * above it if missing, user-accessible when `user`), as a pointer to its 512
 * entries; writing them maps 4 KiB pages with no further allocation. E_ALIGN,
 * E_RANGE, E_EXISTS (a large page there), E_NOMEM. */
err_t pt_leaf_table(const struct pt_env *env, uint64_t root, uint64_t va, int user,
                    uint64_t **out);

/* Frees every table reachable from root's entries [first, last) of the top level,
 * then clears those entries; leaf frames are not touched (their owner frees them). */
void pt_free_tables(const struct pt_env *env, uint64_t root, unsigned first, unsigned last);
