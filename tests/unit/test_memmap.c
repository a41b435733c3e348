/* memmap_sanitize: sorting, merging, overlap resolution, holes, empty and wrapping
 * entries, output capacity and the usable-byte count. */
#include <stdint.h>
#include <string.h>
#include "memmap.h"
#include "suites.h"

#define AVAIL MEM_AVAILABLE
#define RESV  MEM_RESERVED

static struct mem_region out[BOOT_MAX_REGIONS];
static unsigned nout;
static struct memmap_report rep;

static err_t sanitize(const struct mem_region *in, unsigned n)
{
    memset(out, 0xA5, sizeof out);
    return memmap_sanitize(in, n, out, BOOT_MAX_REGIONS, &nout, &rep);
}

static void expect_region(unsigned i, uint64_t base, uint64_t len, uint32_t type)
{
    ck_assert_uint_lt(i, nout);
    ck_assert_uint_eq(out[i].base, base);
    ck_assert_uint_eq(out[i].len, len);
    ck_assert_uint_eq(out[i].type, type);
}

START_TEST(test_unsorted_input_comes_out_sorted)
{
    const struct mem_region in[] = {
        { 0x300000, 0x1000, AVAIL }, { 0x100000, 0x1000, RESV }, { 0x200000, 0x1000, AVAIL },
    };
    ck_assert_int_eq(sanitize(in, 3), E_OK);
    ck_assert_uint_eq(nout, 3);
    expect_region(0, 0x100000, 0x1000, RESV);
    expect_region(1, 0x200000, 0x1000, AVAIL);
    expect_region(2, 0x300000, 0x1000, AVAIL);
}
END_TEST

START_TEST(test_adjacent_regions_merge_only_within_one_type)
{
    const struct mem_region in[] = {
        { 0x2000, 0x1000, AVAIL }, { 0x0, 0x1000, AVAIL }, { 0x1000, 0x1000, AVAIL },
    };
    ck_assert_int_eq(sanitize(in, 3), E_OK);
    ck_assert_uint_eq(nout, 1);
    expect_region(0, 0x0, 0x3000, AVAIL);
    ck_assert_uint_eq(rep.overlaps, 0);
    ck_assert_uint_eq(rep.holes, 0);

    const struct mem_region mixed[] = { { 0x0, 0x1000, AVAIL }, { 0x1000, 0x1000, RESV } };
    ck_assert_int_eq(sanitize(mixed, 2), E_OK);
    ck_assert_uint_eq(nout, 2);                 /* different types stay apart */
}
END_TEST

START_TEST(test_reserved_inside_available_splits_it)
{
    const struct mem_region in[] = {
        { 0x0, 0x10000, AVAIL }, { 0x4000, 0x2000, RESV },
    };
    ck_assert_int_eq(sanitize(in, 2), E_OK);
    ck_assert_uint_eq(nout, 3);
    expect_region(0, 0x0, 0x4000, AVAIL);
    expect_region(1, 0x4000, 0x2000, RESV);
    expect_region(2, 0x6000, 0xa000, AVAIL);
    ck_assert_uint_eq(rep.overlaps, 1);
}
END_TEST

START_TEST(test_partial_overlap_reserved_wins_either_order)
{
    const struct mem_region a[] = { { 0x0, 0x3000, RESV }, { 0x2000, 0x3000, AVAIL } };
    const struct mem_region b[] = { { 0x2000, 0x3000, AVAIL }, { 0x0, 0x3000, RESV } };
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(sanitize(k ? b : a, 2), E_OK);
        ck_assert_uint_eq(nout, 2);
        expect_region(0, 0x0, 0x3000, RESV);
        expect_region(1, 0x3000, 0x2000, AVAIL);
        ck_assert_uint_eq(rep.overlaps, 1);
    }
}
END_TEST

START_TEST(test_more_restrictive_reserved_kind_wins)
{
    const struct mem_region in[] = {
        { 0x0, 0x1000, MEM_ACPI_RECLAIMABLE }, { 0x0, 0x1000, MEM_BAD },
        { 0x1000, 0x1000, MEM_NVS }, { 0x1000, 0x1000, MEM_ACPI_RECLAIMABLE },
    };
    ck_assert_int_eq(sanitize(in, 4), E_OK);
    ck_assert_uint_eq(nout, 2);
    expect_region(0, 0x0, 0x1000, MEM_BAD);
    expect_region(1, 0x1000, 0x1000, MEM_NVS);
}
END_TEST

START_TEST(test_each_overlapping_place_counted_once)
{
    const struct mem_region in[] = {
        { 0x0, 0x2000, AVAIL }, { 0x1000, 0x2000, AVAIL },          /* overlap 1 */
        { 0x10000, 0x2000, AVAIL }, { 0x11000, 0x2000, RESV },      /* overlap 2 */
    };
    ck_assert_int_eq(sanitize(in, 4), E_OK);
    ck_assert_uint_eq(rep.overlaps, 2);
    ck_assert_uint_eq(nout, 3);
    expect_region(0, 0x0, 0x3000, AVAIL);
    expect_region(1, 0x10000, 0x1000, AVAIL);
    expect_region(2, 0x11000, 0x2000, RESV);

    /* One overlapping stretch cut into several pieces is still one place. */
    const struct mem_region nested[] = {
        { 0x0, 0x3000, AVAIL }, { 0x1000, 0x2000, AVAIL }, { 0x1800, 0x800, RESV },
    };
    ck_assert_int_eq(sanitize(nested, 3), E_OK);
    ck_assert_uint_eq(rep.overlaps, 1);
}
END_TEST

START_TEST(test_holes_are_counted_and_not_emitted)
{
    const struct mem_region in[] = {
        { 0x1000, 0x1000, AVAIL }, { 0x4000, 0x1000, AVAIL }, { 0x8000, 0x1000, RESV },
    };
    ck_assert_int_eq(sanitize(in, 3), E_OK);
    ck_assert_uint_eq(rep.holes, 2);
    ck_assert_uint_eq(nout, 3);
    expect_region(0, 0x1000, 0x1000, AVAIL);
    expect_region(1, 0x4000, 0x1000, AVAIL);
}
END_TEST

START_TEST(test_empty_entries_dropped_and_counted)
{
    const struct mem_region in[] = {
        { 0x5000, 0, RESV }, { 0x0, 0x2000, AVAIL }, { 0x1000, 0, RESV },
    };
    ck_assert_int_eq(sanitize(in, 3), E_OK);
    ck_assert_uint_eq(rep.empty, 2);
    ck_assert_uint_eq(rep.overlaps, 0);
    ck_assert_uint_eq(nout, 1);
    expect_region(0, 0x0, 0x2000, AVAIL);
}
END_TEST

START_TEST(test_wrapping_entry_clipped_and_counted)
{
    const uint64_t base = 0xFFFFFFFFFFFF0000ull;
    const struct mem_region in[] = { { 0x0, 0x1000, AVAIL }, { base, 0x20000, RESV } };
    ck_assert_int_eq(sanitize(in, 2), E_OK);
    ck_assert_uint_eq(rep.wrapped, 1);
    ck_assert_uint_eq(nout, 2);
    expect_region(1, base, UINT64_MAX - base, RESV);
}
END_TEST

START_TEST(test_usable_counts_only_available_bytes)
{
    const struct mem_region in[] = {
        { 0x0, 0x9f000, AVAIL }, { 0x9f000, 0x61000, RESV },
        { 0x100000, 0x100000, AVAIL }, { 0x180000, 0x1000, MEM_ACPI_RECLAIMABLE },
    };
    ck_assert_int_eq(sanitize(in, 4), E_OK);
    ck_assert_uint_eq(rep.usable, 0x9f000 + 0x100000 - 0x1000);
}
END_TEST

START_TEST(test_output_too_small_is_erange)
{
    const struct mem_region in[] = {
        { 0x0, 0x1000, AVAIL }, { 0x2000, 0x1000, AVAIL }, { 0x4000, 0x1000, AVAIL },
    };
    struct mem_region small[3];
    unsigned n;
    ck_assert_int_eq(memmap_sanitize(in, 3, small, 2, &n, &rep), E_RANGE);
    ck_assert_int_eq(memmap_sanitize(in, 1, small, 0, &n, &rep), E_RANGE);
    ck_assert_int_eq(memmap_sanitize(in, 3, small, 3, &n, &rep), E_OK);   /* exact fit */
    ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(test_more_inputs_than_max_regions_is_erange)
{
    static struct mem_region in[BOOT_MAX_REGIONS + 1];
    for (unsigned i = 0; i < BOOT_MAX_REGIONS + 1; i++)
        in[i] = (struct mem_region){ i * 0x2000ull, 0x1000, AVAIL };
    ck_assert_int_eq(sanitize(in, BOOT_MAX_REGIONS + 1), E_RANGE);
}
END_TEST

/* ---- Found by the fuzzer (tests/fuzz/fuzz_memmap.c); fails until memmap.c is fixed ---- */

START_TEST(test_entry_clipped_to_nothing_makes_no_hole)
{
    /* An entry at 2^64 - 1 is clipped to no bytes at all, yet its base still went into
     * the sweep, so the stretch up to it was counted as a hole between entries. */
    const struct mem_region in[] = {
        { 0x0, 0x1000, AVAIL }, { UINT64_MAX, UINT64_MAX, RESV }, { UINT64_MAX, 1, RESV },
    };
    ck_assert_int_eq(sanitize(in, 3), E_OK);
    ck_assert_uint_eq(rep.wrapped, 2);
    ck_assert_uint_eq(rep.holes, 0);
    ck_assert_uint_eq(rep.empty, 0);
    ck_assert_uint_eq(nout, 1);
    expect_region(0, 0x0, 0x1000, AVAIL);
}
END_TEST

Suite *memmap_suite(void)
{
    Suite *s = suite_create("memmap");
    TCase *tc = tcase_create("memmap");
    tcase_add_test(tc, test_unsorted_input_comes_out_sorted);
    tcase_add_test(tc, test_adjacent_regions_merge_only_within_one_type);
    tcase_add_test(tc, test_reserved_inside_available_splits_it);
    tcase_add_test(tc, test_partial_overlap_reserved_wins_either_order);
    tcase_add_test(tc, test_more_restrictive_reserved_kind_wins);
    tcase_add_test(tc, test_each_overlapping_place_counted_once);
    tcase_add_test(tc, test_holes_are_counted_and_not_emitted);
    tcase_add_test(tc, test_empty_entries_dropped_and_counted);
    tcase_add_test(tc, test_wrapping_entry_clipped_and_counted);
    tcase_add_test(tc, test_usable_counts_only_available_bytes);
    tcase_add_test(tc, test_output_too_small_is_erange);
    tcase_add_test(tc, test_more_inputs_than_max_regions_is_erange);
    tcase_add_test(tc, test_entry_clipped_to_nothing_makes_no_hole);
    suite_add_tcase(s, tc);
    return s;
}
