/* Slab allocator: cache set-up, zeroed distinct objects within their pages, free and
 * reuse, rejection of bad frees, page accounting and returning pages on shrink. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "slab.h"
#include "suites.h"

#define MAX_PAGES 64

/* The page source: aligned_alloc'd pages, remembered so that leftovers can be
 * freed in teardown and every put_page can be checked against what was given. */
static struct {
    void *pages[MAX_PAGES];
    unsigned given, live, limit;
} src_state;

static void *get_page(void *ctx)
{
    (void)ctx;
    if (src_state.given == src_state.limit)
        return NULL;
    void *p = aligned_alloc(SLAB_PAGE, SLAB_PAGE);
    ck_assert_ptr_nonnull(p);
    src_state.pages[src_state.given++] = p;
    src_state.live++;
    return p;
}

static void put_page(void *ctx, void *page)
{
    (void)ctx;
    for (unsigned i = 0; i < src_state.given; i++) {
        if (src_state.pages[i] == page) {
            src_state.pages[i] = NULL;
            src_state.live--;
            free(page);
            return;
        }
    }
    ck_abort_msg("put_page(%p): not a page this source gave out", page);
}

static const struct slab_source src = { NULL, get_page, put_page };
static struct slab_cache cache, other;

static void setup(void)
{
    memset(&src_state, 0, sizeof src_state);
    src_state.limit = MAX_PAGES;
    ck_assert_int_eq(slab_cache_init(&cache, "test", 100, &src), E_OK);
    ck_assert_int_eq(slab_cache_init(&other, "other", 100, &src), E_OK);
}

static void teardown(void)
{
    for (unsigned i = 0; i < src_state.given; i++)
        free(src_state.pages[i]);
}

/* The page obj lies in, checking the whole object fits in it. */
static void *page_of(const void *obj, size_t size)
{
    for (unsigned i = 0; i < src_state.given; i++) {
        const uint8_t *page = src_state.pages[i];
        if (page && (const uint8_t *)obj >= page
            && (const uint8_t *)obj + size <= page + SLAB_PAGE)
            return src_state.pages[i];
    }
    return NULL;
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

START_TEST(test_init_checks_and_rounds_object_size)
{
    struct slab_cache c;
    ck_assert_int_eq(slab_cache_init(&c, "zero", 0, &src), E_RANGE);
    ck_assert_int_eq(slab_cache_init(&c, "big", SLAB_MAX_OBJECT + 1, &src), E_RANGE);
    ck_assert_int_eq(slab_cache_init(&c, "one", 1, &src), E_OK);
    ck_assert_int_eq(slab_cache_init(&c, "max", SLAB_MAX_OBJECT, &src), E_OK);
    ck_assert_int_eq(slab_cache_init(&c, "c", 20, &src), E_OK);
    ck_assert_uint_eq(c.obj_size, 32);                  /* rounded up to 16 */
    ck_assert_uint_gt(c.per_slab, 0);
    ck_assert_uint_le(c.per_slab * c.obj_size, SLAB_PAGE);
}
END_TEST

START_TEST(test_alloc_returns_zeroed_object)
{
    uint8_t *a = slab_alloc(&cache);
    ck_assert_ptr_nonnull(a);
    ck_assert(all_zero(a, cache.obj_size));
    memset(a, 0xff, cache.obj_size);
    ck_assert_int_eq(slab_free(&cache, a), E_OK);
    uint8_t *b = slab_alloc(&cache);
    ck_assert_ptr_eq(b, a);             /* the freed object is reused... */
    ck_assert(all_zero(b, cache.obj_size));     /* ...and zeroed again */
}
END_TEST

START_TEST(test_objects_are_distinct_aligned_and_inside_pages)
{
    enum { N = 40 };
    uint8_t *obj[N];
    for (unsigned i = 0; i < N; i++) {
        obj[i] = slab_alloc(&cache);
        ck_assert_ptr_nonnull(obj[i]);
        ck_assert_ptr_nonnull(page_of(obj[i], cache.obj_size));
        ck_assert_uint_eq((uintptr_t)obj[i] % 16, 0);
        memset(obj[i], (int)i + 1, cache.obj_size);
    }
    for (unsigned i = 0; i < N; i++)
        for (unsigned j = 0; j < cache.obj_size; j++)
            ck_assert_uint_eq(obj[i][j], i + 1);  /* no object overlaps another */
}
END_TEST

START_TEST(test_many_allocations_span_several_pages)
{
    unsigned n = 3 * cache.per_slab + 1;
    for (unsigned i = 0; i < n; i++)
        ck_assert_ptr_nonnull(slab_alloc(&cache));
    ck_assert_uint_eq(cache.pages, 4);
    ck_assert_uint_eq(src_state.live, 4);
    ck_assert_uint_eq(cache.in_use, n);
}
END_TEST

START_TEST(test_free_and_realloc_across_pages)
{
    enum { N = 100 };
    void *obj[N];
    for (unsigned i = 0; i < N; i++)
        obj[i] = slab_alloc(&cache);
    for (unsigned i = 0; i < N; i += 2)
        ck_assert_int_eq(slab_free(&cache, obj[i]), E_OK);
    ck_assert_uint_eq(cache.in_use, N / 2);
    uint64_t pages = cache.pages;
    for (unsigned i = 0; i < N; i += 2) {
        obj[i] = slab_alloc(&cache);
        ck_assert_ptr_nonnull(obj[i]);
    }
    ck_assert_uint_eq(cache.pages, pages);          /* reused the freed slots */
    for (unsigned i = 0; i < N; i++)
        ck_assert_int_eq(slab_free(&cache, obj[i]), E_OK);
    ck_assert_uint_eq(cache.in_use, 0);
}
END_TEST

START_TEST(test_double_free_is_einval_and_changes_nothing)
{
    void *a = slab_alloc(&cache), *b = slab_alloc(&cache);
    ck_assert_int_eq(slab_free(&cache, a), E_OK);
    ck_assert_int_eq(slab_free(&cache, a), E_INVAL);
    ck_assert_uint_eq(cache.in_use, 1);
    void *x = slab_alloc(&cache), *y = slab_alloc(&cache);
    ck_assert_ptr_ne(x, y);             /* a is on the free list once, not twice */
    ck_assert_ptr_ne(x, b);
    ck_assert_ptr_ne(y, b);
}
END_TEST

START_TEST(test_free_object_of_another_cache_is_einval)
{
    void *mine = slab_alloc(&cache);
    void *theirs = slab_alloc(&other);
    ck_assert_int_eq(slab_free(&cache, theirs), E_INVAL);
    ck_assert_uint_eq(other.in_use, 1);
    ck_assert_int_eq(slab_free(&other, theirs), E_OK);
    ck_assert_int_eq(slab_free(&cache, mine), E_OK);
}
END_TEST

START_TEST(test_free_pointer_not_at_object_start_is_einval)
{
    uint8_t *a = slab_alloc(&cache);
    ck_assert_int_eq(slab_free(&cache, a + 1), E_INVAL);
    ck_assert_int_eq(slab_free(&cache, a + 16), E_INVAL);
    uint8_t *page = page_of(a, cache.obj_size);
    ck_assert_int_eq(slab_free(&cache, page), E_INVAL);         /* the slab header */
    ck_assert_int_eq(slab_free(&cache, page + 16), E_INVAL);
    ck_assert_uint_eq(cache.in_use, 1);
    ck_assert_int_eq(slab_free(&cache, a), E_OK);
}
END_TEST

START_TEST(test_free_pointer_past_last_object_is_einval)
{
    struct slab_cache big;
    ck_assert_int_eq(slab_cache_init(&big, "big", SLAB_MAX_OBJECT, &src), E_OK);
    uint8_t *first = slab_alloc(&big);
    /* The slot after the last whole object still lies inside the page. */
    uint8_t *past = first + big.per_slab * big.obj_size;
    ck_assert_ptr_eq(page_of(past, 1), page_of(first, 1));
    ck_assert_int_eq(slab_free(&big, past), E_INVAL);
    ck_assert_uint_eq(big.in_use, 1);
}
END_TEST

START_TEST(test_free_null_is_einval)
{
    ck_assert_int_eq(slab_free(&cache, NULL), E_INVAL);
}
END_TEST

START_TEST(test_alloc_fails_when_source_has_no_pages)
{
    src_state.limit = 1;
    for (unsigned i = 0; i < cache.per_slab; i++)
        ck_assert_ptr_nonnull(slab_alloc(&cache));
    ck_assert_ptr_null(slab_alloc(&cache));
    ck_assert_uint_eq(cache.in_use, cache.per_slab);
    ck_assert_uint_eq(cache.pages, 1);
}
END_TEST

START_TEST(test_one_empty_slab_kept_others_returned)
{
    unsigned n = 2 * cache.per_slab;
    void *obj[2 * 256];
    for (unsigned i = 0; i < n; i++)
        obj[i] = slab_alloc(&cache);
    ck_assert_uint_eq(cache.pages, 2);
    for (unsigned i = 0; i < n; i++)
        ck_assert_int_eq(slab_free(&cache, obj[i]), E_OK);
    ck_assert_uint_eq(cache.pages, 1);
    ck_assert_uint_eq(src_state.live, 1);
    ck_assert_ptr_nonnull(slab_alloc(&cache));      /* reuses the kept page */
    ck_assert_uint_eq(src_state.given, 2);
}
END_TEST

START_TEST(test_shrink_returns_every_empty_page)
{
    void *obj[8];
    for (unsigned i = 0; i < 8; i++)
        obj[i] = slab_alloc(&cache);
    slab_shrink(&cache);
    ck_assert_uint_eq(src_state.live, 1);       /* a page in use is kept */
    for (unsigned i = 0; i < 8; i++)
        ck_assert_int_eq(slab_free(&cache, obj[i]), E_OK);
    ck_assert_uint_eq(src_state.live, 1);       /* the one empty slab kept for reuse */
    slab_shrink(&cache);
    ck_assert_uint_eq(cache.pages, 0);
    ck_assert_uint_eq(src_state.live, 0);
}
END_TEST

Suite *slab_suite(void)
{
    Suite *s = suite_create("slab");
    TCase *tc = tcase_create("slab");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_init_checks_and_rounds_object_size);
    tcase_add_test(tc, test_alloc_returns_zeroed_object);
    tcase_add_test(tc, test_objects_are_distinct_aligned_and_inside_pages);
    tcase_add_test(tc, test_many_allocations_span_several_pages);
    tcase_add_test(tc, test_free_and_realloc_across_pages);
    tcase_add_test(tc, test_double_free_is_einval_and_changes_nothing);
    tcase_add_test(tc, test_free_object_of_another_cache_is_einval);
    tcase_add_test(tc, test_free_pointer_not_at_object_start_is_einval);
    tcase_add_test(tc, test_free_pointer_past_last_object_is_einval);
    tcase_add_test(tc, test_free_null_is_einval);
    tcase_add_test(tc, test_alloc_fails_when_source_has_no_pages);
    tcase_add_test(tc, test_one_empty_slab_kept_others_returned);
    tcase_add_test(tc, test_shrink_returns_every_empty_page);
    suite_add_tcase(s, tc);
    return s;
}
