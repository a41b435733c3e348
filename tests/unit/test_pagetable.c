/* x86-64 page tables: map/lookup/unmap of 4 KiB and 2 MiB pages, argument errors,
 * user-bit propagation and freeing of the tables, with host memory as "physical". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86_64/pagetable.h"
#include "suites.h"
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

/* Fails the test if LeakSanitizer finds unreachable heap blocks: a leak report at
 * the exit of a forked test (or in a checked teardown) does not fail the test. */
static void expect_no_leaks(void)
{
#ifdef __SANITIZE_ADDRESS__
    ck_assert_msg(__lsan_do_recoverable_leak_check() == 0, "memory leaked (see LSan report)");
#endif
}

#define KIB4 0x1000ull
#define MIB2 0x200000ull

/* Tables come from aligned_alloc; a table's "physical" address is its pointer. */
static struct {
    unsigned allocs, frees;
    unsigned fail_from;         /* allocations numbered >= this fail; 0: never */
} mem;

static err_t alloc_table(void *ctx, uint64_t *phys)
{
    (void)ctx;
    if (mem.fail_from && mem.allocs + 1 >= mem.fail_from)
        return E_NOMEM;
    void *t = aligned_alloc(4096, 4096);
    if (!t)
        return E_NOMEM;
    memset(t, 0, 4096);
    mem.allocs++;
    *phys = (uint64_t)(uintptr_t)t;
    return E_OK;
}

static void free_table(void *ctx, uint64_t phys)
{
    (void)ctx;
    mem.frees++;
    free((void *)(uintptr_t)phys);
}

static void *phys_to_virt(void *ctx, uint64_t phys)
{
    (void)ctx;
    return (void *)(uintptr_t)phys;
}

static const struct pt_env env = { NULL, alloc_table, free_table, phys_to_virt };
static uint64_t root;

static void setup(void)
{
    memset(&mem, 0, sizeof mem);
    ck_assert_int_eq(alloc_table(NULL, &root), E_OK);
    mem.allocs = 0;             /* count only the tables pt_map creates */
}

static void teardown(void)
{
    pt_free_tables(&env, root, 0, 512);
    free((void *)(uintptr_t)root);
}

/* The entry for va at `level` (3 = PML4 ... 0 = PT), following present entries. */
static uint64_t entry_at(uint64_t va, int level)
{
    uint64_t *t = (uint64_t *)(uintptr_t)root;
    for (int l = 3;; l--) {
        uint64_t e = t[(va >> (12 + 9 * l)) & 0x1ff];
        if (l == level)
            return e;
        ck_assert(e & PTE_P);
        t = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
    }
}

START_TEST(test_canonical_addresses)
{
    ck_assert(pt_canonical(0));
    ck_assert(pt_canonical(0x00007ffffffff000ull));
    ck_assert(pt_canonical(0xffff800000000000ull));
    ck_assert(pt_canonical(0xfffffffffffff000ull));
    ck_assert(!pt_canonical(0x0000800000000000ull));
    ck_assert(!pt_canonical(0xffff7ffffffff000ull));
    ck_assert(!pt_canonical(0x0001000000000000ull));
}
END_TEST

START_TEST(test_map_then_lookup_4k_page)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x12345000, PTE_W), E_OK);
    ck_assert_int_eq(pt_lookup(&env, root, 0x400abc, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x12345abc);
    ck_assert_uint_eq(flags & (PTE_P | PTE_W | PTE_PS), PTE_P | PTE_W);
    const uint64_t high = 0xffffffff80200000ull;
    ck_assert_int_eq(pt_map(&env, root, high, 0x200000, 0), E_OK);
    ck_assert_int_eq(pt_lookup(&env, root, high + 8, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x200008);
}
END_TEST

START_TEST(test_leaf_flags_are_kept)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_map(&env, root, 0x5000, 0x9000, PTE_NX | PTE_U | PTE_G), E_OK);
    ck_assert_int_eq(pt_lookup(&env, root, 0x5000, &pa, &flags), E_OK);
    ck_assert_uint_eq(flags & (PTE_NX | PTE_U | PTE_G | PTE_W), PTE_NX | PTE_U | PTE_G);
}
END_TEST

START_TEST(test_lookup_unmapped_is_noent)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_lookup(&env, root, 0x400000, &pa, &flags), E_NOENT);
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);
    ck_assert_int_eq(pt_lookup(&env, root, 0x401000, &pa, &flags), E_NOENT);
}
END_TEST

START_TEST(test_first_map_creates_three_tables_and_neighbours_share_them)
{
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);
    ck_assert_uint_eq(mem.allocs, 3);
    ck_assert_int_eq(pt_map(&env, root, 0x401000, 0x2000, 0), E_OK);
    ck_assert_uint_eq(mem.allocs, 3);
    ck_assert_int_eq(pt_map(&env, root, 0x600000, 0x3000, 0), E_OK);   /* new PT */
    ck_assert_uint_eq(mem.allocs, 4);
}
END_TEST

START_TEST(test_map_unaligned_4k_or_2m_is_ealign)
{
    ck_assert_int_eq(pt_map(&env, root, 0x400001, 0x1000, 0), E_ALIGN);
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1800, 0), E_ALIGN);
    ck_assert_int_eq(pt_map_large(&env, root, MIB2 + KIB4, 0, 0), E_ALIGN);
    ck_assert_int_eq(pt_map_large(&env, root, MIB2, KIB4, 0), E_ALIGN);
    ck_assert_uint_eq(mem.allocs, 0);
}
END_TEST

START_TEST(test_map_non_canonical_va_or_pa_beyond_52_bits_is_erange)
{
    ck_assert_int_eq(pt_map(&env, root, 0x0000800000000000ull, 0x1000, 0), E_RANGE);
    ck_assert_int_eq(pt_map(&env, root, 0x8000000000001000ull, 0x1000, 0), E_RANGE);
    ck_assert_int_eq(pt_map(&env, root, 0x1000, 1ull << 52, 0), E_RANGE);
    ck_assert_int_eq(pt_map_large(&env, root, MIB2, 1ull << 60, 0), E_RANGE);
    ck_assert_uint_eq(mem.allocs, 0);
    ck_assert_int_eq(pt_map(&env, root, 0x1000, (1ull << 52) - KIB4, 0), E_OK);
}
END_TEST

START_TEST(test_double_map_is_eexists_and_keeps_first)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x2000, PTE_W), E_EXISTS);
    ck_assert_int_eq(pt_lookup(&env, root, 0x400000, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x1000);
    ck_assert_uint_eq(flags & PTE_W, 0);
}
END_TEST

START_TEST(test_unmap_returns_frame_and_removes_mapping)
{
    uint64_t pa = 0, flags;
    ck_assert_int_eq(pt_map(&env, root, 0x7000, 0xabc000, PTE_W), E_OK);
    ck_assert_int_eq(pt_unmap(&env, root, 0x7000, &pa), E_OK);
    ck_assert_uint_eq(pa, 0xabc000);
    ck_assert_int_eq(pt_lookup(&env, root, 0x7000, &pa, &flags), E_NOENT);
    ck_assert_int_eq(pt_map(&env, root, 0x7000, 0xdef000, 0), E_OK);
}
END_TEST

START_TEST(test_unmap_absent_is_noent)
{
    uint64_t pa;
    ck_assert_int_eq(pt_unmap(&env, root, 0x7000, &pa), E_NOENT);     /* no tables */
    ck_assert_uint_eq(mem.allocs, 0);                                  /* none made */
    ck_assert_int_eq(pt_map(&env, root, 0x7000, 0x1000, 0), E_OK);
    ck_assert_int_eq(pt_unmap(&env, root, 0x8000, &pa), E_NOENT);     /* empty slot */
    ck_assert_int_eq(pt_unmap(&env, root, 0x7000, &pa), E_OK);
    ck_assert_int_eq(pt_unmap(&env, root, 0x7000, &pa), E_NOENT);     /* twice */
}
END_TEST

START_TEST(test_large_page_map_and_lookup_with_offset)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_map_large(&env, root, 0x40200000, 0x80000000, PTE_W), E_OK);
    ck_assert_uint_eq(mem.allocs, 2);           /* PDPT and PD, no PT */
    ck_assert_int_eq(pt_lookup(&env, root, 0x40200000 + 0x12345, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x80012345);
    ck_assert_uint_eq(flags & (PTE_PS | PTE_W | PTE_P), PTE_PS | PTE_W | PTE_P);
}
END_TEST

START_TEST(test_mixing_4k_and_large_pages_is_eexists)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_map_large(&env, root, MIB2, 0x40000000, 0), E_OK);
    ck_assert_int_eq(pt_map(&env, root, MIB2 + 5 * KIB4, 0x1000, 0), E_EXISTS);
    ck_assert_int_eq(pt_map_large(&env, root, MIB2, 0x60000000, 0), E_EXISTS);
    ck_assert_uint_eq(mem.allocs, 2);
    /* The other way round: a 2 MiB page over a table of 4 KiB pages. */
    ck_assert_int_eq(pt_map(&env, root, 2 * MIB2 + KIB4, 0x5000, 0), E_OK);
    ck_assert_int_eq(pt_map_large(&env, root, 2 * MIB2, 0x40000000, 0), E_EXISTS);
    ck_assert_int_eq(pt_lookup(&env, root, 2 * MIB2 + KIB4, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x5000);
}
END_TEST

START_TEST(test_user_bit_set_on_intermediate_tables_only_for_user)
{
    const uint64_t va = 0x400000;
    ck_assert_int_eq(pt_map(&env, root, va, 0x1000, PTE_U | PTE_W), E_OK);
    for (int level = 3; level >= 0; level--)
        ck_assert_uint_eq(entry_at(va, level) & PTE_U, PTE_U);
    const uint64_t kva = 0xffff800000400000ull;         /* a kernel mapping: no U */
    ck_assert_int_eq(pt_map(&env, root, kva, 0x1000, PTE_W), E_OK);
    for (int level = 3; level >= 0; level--)
        ck_assert_uint_eq(entry_at(kva, level) & PTE_U, 0);
}
END_TEST

START_TEST(test_user_mapping_adds_user_bit_to_existing_tables)
{
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);
    ck_assert_uint_eq(entry_at(0x400000, 1) & PTE_U, 0);
    ck_assert_int_eq(pt_map(&env, root, 0x401000, 0x2000, PTE_U), E_OK);
    for (int level = 3; level >= 1; level--)
        ck_assert_uint_eq(entry_at(0x401000, level) & PTE_U, PTE_U);
    ck_assert_uint_eq(entry_at(0x400000, 0) & PTE_U, 0);
}
END_TEST

START_TEST(test_table_allocation_failure_is_enomem)
{
    uint64_t pa, flags;
    mem.fail_from = 2;              /* the PDPT is allocated, the PD is not */
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_NOMEM);
    ck_assert_int_eq(pt_lookup(&env, root, 0x400000, &pa, &flags), E_NOENT);
    mem.fail_from = 0;
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);
}
END_TEST

START_TEST(test_free_tables_frees_every_created_table)
{
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);
    ck_assert_int_eq(pt_map(&env, root, 0x40000000, 0x2000, 0), E_OK);         /* new PD */
    ck_assert_int_eq(pt_map(&env, root, 0x8000000000ull, 0x3000, 0), E_OK);    /* new PML4 slot */
    ck_assert_int_eq(pt_map_large(&env, root, 0x600000, 0x400000, 0), E_OK);
    ck_assert_int_eq(pt_map(&env, root, 0xffff800000000000ull, 0x4000, 0), E_OK);
    unsigned created = mem.allocs;
    ck_assert_uint_eq(created, 3 + 2 + 3 + 0 + 3);
    pt_free_tables(&env, root, 0, 512);
    ck_assert_uint_eq(mem.frees, created);
    expect_no_leaks();
    const uint64_t *top = (const uint64_t *)(uintptr_t)root;
    for (unsigned i = 0; i < 512; i++)
        ck_assert_uint_eq(top[i], 0);
}
END_TEST

START_TEST(test_free_tables_only_touches_given_top_entries)
{
    uint64_t pa, flags;
    ck_assert_int_eq(pt_map(&env, root, 0x400000, 0x1000, 0), E_OK);              /* slot 0 */
    ck_assert_int_eq(pt_map(&env, root, 0xffff800000000000ull, 0x2000, 0), E_OK); /* 256 */
    pt_free_tables(&env, root, 0, 256);
    ck_assert_uint_eq(mem.frees, 3);
    expect_no_leaks();
    ck_assert_int_eq(pt_lookup(&env, root, 0x400000, &pa, &flags), E_NOENT);
    ck_assert_int_eq(pt_lookup(&env, root, 0xffff800000000000ull, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x2000);
}
END_TEST

START_TEST(test_leaf_table_is_made_once_and_maps_without_allocating)
{
    uint64_t *leaf, *again, pa, flags;
    ck_assert_int_eq(pt_leaf_table(&env, root, 0x5E5500001000ull, 1, &leaf), E_ALIGN);
    ck_assert_int_eq(pt_leaf_table(&env, root, 0x800000000000ull, 1, &leaf), E_RANGE);
    ck_assert_int_eq(pt_leaf_table(&env, root, 0x5E5500000000ull, 1, &leaf), E_OK);
    ck_assert_int_eq(pt_leaf_table(&env, root, 0x5E5500000000ull, 1, &again), E_OK);
    ck_assert_ptr_eq(leaf, again);                          /* the same table */
    leaf[3] = 0x77000 | PTE_P | PTE_U | PTE_W;              /* what a call's map writes */
    ck_assert_int_eq(pt_lookup(&env, root, 0x5E5500003008ull, &pa, &flags), E_OK);
    ck_assert_uint_eq(pa, 0x77008);
    ck_assert(flags & PTE_U);
    leaf[3] = 0;
    ck_assert_int_eq(pt_lookup(&env, root, 0x5E5500003008ull, &pa, &flags), E_NOENT);
}
END_TEST

Suite *pagetable_suite(void)
{
    Suite *s = suite_create("pagetable");
    TCase *tc = tcase_create("pagetable");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_canonical_addresses);
    tcase_add_test(tc, test_map_then_lookup_4k_page);
    tcase_add_test(tc, test_leaf_flags_are_kept);
    tcase_add_test(tc, test_lookup_unmapped_is_noent);
    tcase_add_test(tc, test_first_map_creates_three_tables_and_neighbours_share_them);
    tcase_add_test(tc, test_map_unaligned_4k_or_2m_is_ealign);
    tcase_add_test(tc, test_map_non_canonical_va_or_pa_beyond_52_bits_is_erange);
    tcase_add_test(tc, test_double_map_is_eexists_and_keeps_first);
    tcase_add_test(tc, test_unmap_returns_frame_and_removes_mapping);
    tcase_add_test(tc, test_unmap_absent_is_noent);
    tcase_add_test(tc, test_large_page_map_and_lookup_with_offset);
    tcase_add_test(tc, test_mixing_4k_and_large_pages_is_eexists);
    tcase_add_test(tc, test_user_bit_set_on_intermediate_tables_only_for_user);
    tcase_add_test(tc, test_user_mapping_adds_user_bit_to_existing_tables);
    tcase_add_test(tc, test_table_allocation_failure_is_enomem);
    tcase_add_test(tc, test_free_tables_frees_every_created_table);
    tcase_add_test(tc, test_free_tables_only_touches_given_top_entries);
    tcase_add_test(tc, test_leaf_table_is_made_once_and_maps_without_allocating);
    suite_add_tcase(s, tc);
    return s;
}
