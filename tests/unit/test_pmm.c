/* Physical frame allocator: init, range release/reserve rounding, allocation until
 * exhaustion, contiguous runs, free errors and the free-frame count. */
#include <stdint.h>
#include <string.h>
#include "pmm.h"
#include "suites.h"

#define NFRAMES 100                 /* deliberately not a multiple of 64 */
#define LIMIT   (NFRAMES * PMM_FRAME)

static uint64_t bitmap[(NFRAMES + 63) / 64];
static struct pmm pmm;

static void setup(void)
{
    memset(bitmap, 0, sizeof bitmap);
    pmm_init(&pmm, bitmap, NFRAMES);
}

/* Releases every frame. */
static void release_all(void)
{
    ck_assert_uint_eq(pmm_release_range(&pmm, 0, LIMIT), NFRAMES);
}

START_TEST(test_bitmap_bytes_rounds_up_to_whole_words)
{
    ck_assert_uint_eq(pmm_bitmap_bytes(0), 0);
    ck_assert_uint_eq(pmm_bitmap_bytes(1), 8);
    ck_assert_uint_eq(pmm_bitmap_bytes(64), 8);
    ck_assert_uint_eq(pmm_bitmap_bytes(65), 16);
    ck_assert_uint_eq(pmm_bitmap_bytes(NFRAMES), sizeof bitmap);
}
END_TEST

START_TEST(test_init_marks_every_frame_used)
{
    uint64_t phys;
    ck_assert_uint_eq(pmm.nfree, 0);
    for (uint64_t f = 0; f < NFRAMES; f++)
        ck_assert(pmm_is_used(&pmm, f * PMM_FRAME));
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_NOMEM);
}
END_TEST

START_TEST(test_release_rounds_inward)
{
    /* [0x1800, 0x4800) wholly contains frames 2 and 3 only. */
    ck_assert_uint_eq(pmm_release_range(&pmm, 0x1800, 0x3000), 2);
    ck_assert_uint_eq(pmm.nfree, 2);
    ck_assert(pmm_is_used(&pmm, 0x1000));
    ck_assert(!pmm_is_used(&pmm, 0x2000));
    ck_assert(!pmm_is_used(&pmm, 0x3fff));
    ck_assert(pmm_is_used(&pmm, 0x4000));
    ck_assert_uint_eq(pmm_release_range(&pmm, 0x6001, 0xffe), 0);  /* inside one frame */
    ck_assert_uint_eq(pmm_release_range(&pmm, 0x6800, 0x1000), 0); /* across two halves */
    ck_assert_uint_eq(pmm.nfree, 2);
}
END_TEST

START_TEST(test_release_counts_only_changed_frames)
{
    ck_assert_uint_eq(pmm_release_range(&pmm, 0, 4 * PMM_FRAME), 4);
    ck_assert_uint_eq(pmm_release_range(&pmm, 2 * PMM_FRAME, 4 * PMM_FRAME), 2);
    ck_assert_uint_eq(pmm.nfree, 6);
}
END_TEST

START_TEST(test_release_clamped_to_map_even_when_wrapping)
{
    /* base + len runs past 2^64: clamped, not wrapped round to a small end. */
    ck_assert_uint_eq(pmm_release_range(&pmm, 16 * PMM_FRAME, UINT64_MAX), NFRAMES - 16);
    ck_assert(pmm_is_used(&pmm, 15 * PMM_FRAME));
    ck_assert_uint_eq(pmm_release_range(&pmm, 0, 1ull << 40), 16);
    ck_assert_uint_eq(pmm.nfree, NFRAMES);
    ck_assert(pmm_is_used(&pmm, LIMIT));
}
END_TEST

START_TEST(test_reserve_rounds_outward_and_counts_changes)
{
    release_all();
    ck_assert_uint_eq(pmm_reserve_range(&pmm, 0x1800, 1), 1);
    ck_assert(pmm_is_used(&pmm, 0x1000));
    ck_assert_uint_eq(pmm_reserve_range(&pmm, 0x2fff, 2), 2);   /* touches frames 2, 3 */
    ck_assert(pmm_is_used(&pmm, 0x2000));
    ck_assert(pmm_is_used(&pmm, 0x3000));
    ck_assert(!pmm_is_used(&pmm, 0x4000));
    ck_assert_uint_eq(pmm.nfree, NFRAMES - 3);
    ck_assert_uint_eq(pmm_reserve_range(&pmm, 0, 5 * PMM_FRAME), 2);   /* 1-3 were used */
    ck_assert_uint_eq(pmm_reserve_range(&pmm, 0, 0), 0);
    ck_assert_uint_eq(pmm.nfree, NFRAMES - 5);
}
END_TEST

START_TEST(test_alloc_hands_out_each_frame_once_then_enomem)
{
    int seen[NFRAMES] = { 0 };
    uint64_t phys;
    release_all();
    for (unsigned i = 0; i < NFRAMES; i++) {
        ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_OK);
        ck_assert_uint_eq(phys % PMM_FRAME, 0);
        ck_assert_uint_lt(phys, LIMIT);
        ck_assert_int_eq(seen[phys / PMM_FRAME]++, 0);
        ck_assert(pmm_is_used(&pmm, phys));
    }
    ck_assert_uint_eq(pmm.nfree, 0);
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_NOMEM);
}
END_TEST

START_TEST(test_alloc_never_returns_frames_beyond_nframes)
{
    uint64_t phys;
    unsigned count = 0;
    /* Release far past the end of the map: the last word's padding stays in use. */
    ck_assert_uint_eq(pmm_release_range(&pmm, 0, 1ull << 30), NFRAMES);
    while (pmm_alloc(&pmm, &phys) == E_OK) {
        ck_assert_uint_lt(phys, LIMIT);
        ck_assert_uint_le(++count, NFRAMES);
    }
    ck_assert_uint_eq(count, NFRAMES);
}
END_TEST

START_TEST(test_alloc_only_from_released_frames)
{
    uint64_t phys;
    pmm_release_range(&pmm, 70 * PMM_FRAME, 2 * PMM_FRAME);
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_OK);
    ck_assert_uint_ge(phys, 70 * PMM_FRAME);
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_OK);
    ck_assert_uint_lt(phys, 72 * PMM_FRAME);
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_NOMEM);
}
END_TEST

START_TEST(test_free_then_alloc_reuses_frame)
{
    uint64_t phys;
    pmm_release_range(&pmm, 5 * PMM_FRAME, PMM_FRAME);
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_OK);
    ck_assert_uint_eq(phys, 5 * PMM_FRAME);
    ck_assert_int_eq(pmm_free(&pmm, phys), E_OK);
    ck_assert_uint_eq(pmm.nfree, 1);
    ck_assert(!pmm_is_used(&pmm, phys));
    ck_assert_int_eq(pmm_alloc(&pmm, &phys), E_OK);
    ck_assert_uint_eq(phys, 5 * PMM_FRAME);
}
END_TEST

START_TEST(test_free_unaligned_is_ealign)
{
    ck_assert_int_eq(pmm_free(&pmm, 0x1001), E_ALIGN);
    ck_assert_int_eq(pmm_free(&pmm, 0x1800), E_ALIGN);
    ck_assert(pmm_is_used(&pmm, 0x1000));
    ck_assert_uint_eq(pmm.nfree, 0);
}
END_TEST

START_TEST(test_free_beyond_map_is_erange)
{
    ck_assert_int_eq(pmm_free(&pmm, LIMIT), E_RANGE);
    ck_assert_int_eq(pmm_free(&pmm, 127 * PMM_FRAME), E_RANGE);   /* padding bit */
    ck_assert_uint_eq(pmm.nfree, 0);
    ck_assert(pmm_is_used(&pmm, LIMIT));        /* frames beyond the map count as used */
    ck_assert(pmm_is_used(&pmm, UINT64_MAX));
}
END_TEST

START_TEST(test_double_free_is_einval_and_changes_nothing)
{
    uint64_t before[sizeof bitmap / 8];
    ck_assert_int_eq(pmm_free(&pmm, 0x3000), E_OK);
    memcpy(before, bitmap, sizeof bitmap);
    ck_assert_int_eq(pmm_free(&pmm, 0x3000), E_INVAL);
    ck_assert_uint_eq(pmm.nfree, 1);
    ck_assert_mem_eq(bitmap, before, sizeof bitmap);
}
END_TEST

START_TEST(test_nfree_tracks_mixed_operations)
{
    uint64_t a, b;
    release_all();
    pmm_reserve_range(&pmm, 0, 10 * PMM_FRAME);
    ck_assert_int_eq(pmm_alloc(&pmm, &a), E_OK);
    ck_assert_int_eq(pmm_alloc(&pmm, &b), E_OK);
    ck_assert_int_eq(pmm_free(&pmm, a), E_OK);
    ck_assert_uint_eq(pmm.nfree, NFRAMES - 10 - 1);
    uint64_t counted = 0;
    for (uint64_t f = 0; f < NFRAMES; f++)
        counted += !pmm_is_used(&pmm, f * PMM_FRAME);
    ck_assert_uint_eq(counted, pmm.nfree);
}
END_TEST

START_TEST(test_alloc_contig_takes_first_long_enough_run)
{
    uint64_t phys;
    pmm_release_range(&pmm, 10 * PMM_FRAME, 3 * PMM_FRAME);     /* frames 10-12 */
    pmm_release_range(&pmm, 20 * PMM_FRAME, 8 * PMM_FRAME);     /* frames 20-27 */
    ck_assert_int_eq(pmm_alloc_contig(&pmm, 5, &phys), E_OK);
    ck_assert_uint_eq(phys, 20 * PMM_FRAME);
    for (uint64_t f = 20; f < 25; f++)
        ck_assert(pmm_is_used(&pmm, f * PMM_FRAME));
    ck_assert(!pmm_is_used(&pmm, 25 * PMM_FRAME));
    ck_assert_uint_eq(pmm.nfree, 3 + 3);
    ck_assert_int_eq(pmm_alloc_contig(&pmm, 3, &phys), E_OK);
    ck_assert_uint_eq(phys, 10 * PMM_FRAME);
}
END_TEST

START_TEST(test_alloc_contig_without_long_enough_run_is_enomem)
{
    uint64_t phys;
    for (uint64_t f = 0; f < NFRAMES; f += 2)
        pmm_release_range(&pmm, f * PMM_FRAME, PMM_FRAME);     /* every other frame */
    ck_assert_int_eq(pmm_alloc_contig(&pmm, 2, &phys), E_NOMEM);
    ck_assert_int_eq(pmm_alloc_contig(&pmm, 0, &phys), E_NOMEM);
    ck_assert_uint_eq(pmm.nfree, NFRAMES / 2);
    ck_assert_int_eq(pmm_alloc_contig(&pmm, 1, &phys), E_OK);
}
END_TEST

Suite *pmm_suite(void)
{
    Suite *s = suite_create("pmm");
    TCase *tc = tcase_create("pmm");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_bitmap_bytes_rounds_up_to_whole_words);
    tcase_add_test(tc, test_init_marks_every_frame_used);
    tcase_add_test(tc, test_release_rounds_inward);
    tcase_add_test(tc, test_release_counts_only_changed_frames);
    tcase_add_test(tc, test_release_clamped_to_map_even_when_wrapping);
    tcase_add_test(tc, test_reserve_rounds_outward_and_counts_changes);
    tcase_add_test(tc, test_alloc_hands_out_each_frame_once_then_enomem);
    tcase_add_test(tc, test_alloc_never_returns_frames_beyond_nframes);
    tcase_add_test(tc, test_alloc_only_from_released_frames);
    tcase_add_test(tc, test_alloc_contig_takes_first_long_enough_run);
    tcase_add_test(tc, test_alloc_contig_without_long_enough_run_is_enomem);
    tcase_add_test(tc, test_free_then_alloc_reuses_frame);
    tcase_add_test(tc, test_free_unaligned_is_ealign);
    tcase_add_test(tc, test_free_beyond_map_is_erange);
    tcase_add_test(tc, test_double_free_is_einval_and_changes_nothing);
    tcase_add_test(tc, test_nfree_tracks_mixed_operations);
    suite_add_tcase(s, tc);
    return s;
}
