/* Unit tests for libsys/heap.c, the allocator behind malloc: alignment, reuse,
 * coalescing, growth, resizing in place, refusal of bad and double frees, and a
 * random workload whose blocks must never overlap and after which the heap's
 * invariants (rs_heap_check) still hold. */
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include <rs_heap.h>

#define ARENA (4u << 20)

static _Alignas(16) uint8_t arena[ARENA];
static size_t arena_limit;
static int grows;
static struct rs_heap h;

/* Hands out the arena in the pieces asked for, up to arena_limit. */
static size_t grow(void *ctx, void *end, size_t bytes)
{
    (void)ctx;
    size_t used = (size_t)((uint8_t *)end - arena);
    if (used + bytes > arena_limit)
        return 0;
    grows++;
    return bytes;
}

static void setup(void)
{
    arena_limit = ARENA;
    grows = 0;
    rs_heap_init(&h, arena, grow, 0);
}

START_TEST(blocks_are_aligned_and_distinct)
{
    void *a = rs_heap_alloc(&h, 1), *b = rs_heap_alloc(&h, 24), *c = rs_heap_alloc(&h, 100);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq((uintptr_t)a % 16, 0);
    ck_assert_uint_eq((uintptr_t)b % 16, 0);
    ck_assert_uint_eq((uintptr_t)c % 16, 0);
    ck_assert((uint8_t *)b >= (uint8_t *)a + 1 && (uint8_t *)c >= (uint8_t *)b + 24);
    ck_assert_uint_ge(rs_heap_size(c), 100);
}
END_TEST

START_TEST(freed_memory_is_reused)
{
    void *a = rs_heap_alloc(&h, 64);
    ck_assert_int_eq(rs_heap_free(&h, a), 0);
    ck_assert_ptr_eq(rs_heap_alloc(&h, 64), a);
    ck_assert_int_eq(grows, 1);
}
END_TEST

START_TEST(neighbours_coalesce)
{
    uint8_t *a = rs_heap_alloc(&h, 1000), *b = rs_heap_alloc(&h, 1000);
    void *guard = rs_heap_alloc(&h, 16);
    ck_assert_ptr_nonnull(guard);
    rs_heap_free(&h, b);
    rs_heap_free(&h, a);
    ck_assert_ptr_eq(rs_heap_alloc(&h, 2000), a);   /* both together, in place */
}
END_TEST

START_TEST(bad_and_double_frees_are_refused)
{
    uint8_t *a = rs_heap_alloc(&h, 32);
    ck_assert_int_eq(rs_heap_free(&h, a + 16), -1);
    ck_assert_int_eq(rs_heap_free(&h, arena + ARENA - 16), -1);
    ck_assert_int_eq(rs_heap_free(&h, (void *)16), -1);
    ck_assert_int_eq(rs_heap_free(&h, a), 0);
    ck_assert_int_eq(rs_heap_free(&h, a), -1);
    ck_assert_int_eq(rs_heap_free(&h, 0), 0);
}
END_TEST

START_TEST(running_out_is_null_not_a_crash)
{
    arena_limit = 512 * 1024;
    ck_assert_ptr_nonnull(rs_heap_alloc(&h, 300 * 1024));
    ck_assert_ptr_null(rs_heap_alloc(&h, 300 * 1024));
    ck_assert_ptr_null(rs_heap_alloc(&h, (size_t)1 << 50));
    ck_assert_ptr_nonnull(rs_heap_alloc(&h, 1024));     /* small ones still fit */
}
END_TEST

START_TEST(in_use_is_counted)
{
    void *a = rs_heap_alloc(&h, 100);
    size_t n = rs_heap_size(a);
    ck_assert_uint_eq(h.in_use, n);
    rs_heap_free(&h, a);
    ck_assert_uint_eq(h.in_use, 0);
}
END_TEST

START_TEST(resize_grows_into_a_free_neighbour_and_shrinks)
{
    uint8_t *a = rs_heap_alloc(&h, 100), *b = rs_heap_alloc(&h, 400);
    void *guard = rs_heap_alloc(&h, 16);
    memset(a, 7, 100);
    ck_assert_int_eq(rs_heap_resize(&h, a, 600), -1);     /* b is in the way */
    rs_heap_free(&h, b);
    ck_assert_int_eq(rs_heap_resize(&h, a, 450), 0);
    ck_assert_uint_ge(rs_heap_size(a), 450);
    ck_assert_uint_eq(a[99], 7);
    ck_assert_int_eq(rs_heap_resize(&h, a, 1 << 20), -1); /* guard is in the way */
    ck_assert_int_eq(rs_heap_resize(&h, a, 40), 0);
    ck_assert_uint_lt(rs_heap_size(a), 100);
    ck_assert_int_eq(rs_heap_check(&h), 0);
    ck_assert_ptr_eq(rs_heap_alloc(&h, 300), a + 64);      /* the tail came back */
    ck_assert_int_eq(rs_heap_resize(&h, a + 16, 10), -2);
    ck_assert_ptr_nonnull(guard);
    ck_assert_int_eq(rs_heap_check(&h), 0);
}
END_TEST

START_TEST(corrupted_headers_are_noticed)
{
    uint8_t *a = rs_heap_alloc(&h, 64), *b = rs_heap_alloc(&h, 64);
    ck_assert_int_eq(rs_heap_check(&h), 0);
    ((uint32_t *)b)[-1] ^= 0x100;      /* a wild write over b's tag */
    ck_assert_int_eq(rs_heap_free(&h, b), -1);
    ck_assert_int_ne(rs_heap_check(&h), 0);
    ((uint32_t *)b)[-1] ^= 0x100;
    ck_assert_int_eq(rs_heap_free(&h, b), 0);
    ck_assert_int_eq(rs_heap_free(&h, a), 0);
    ck_assert_int_eq(rs_heap_check(&h), 0);
}
END_TEST

START_TEST(pieces_grown_later_join_the_heap)
{
    void *p[30];
    for (int i = 0; i < 30; i++)                    /* 30 x 100 KiB: many growths */
        ck_assert_ptr_nonnull(p[i] = rs_heap_alloc(&h, 100 * 1024));
    ck_assert_int_gt(grows, 10);
    for (int i = 0; i < 30; i++)
        rs_heap_free(&h, p[i]);
    ck_assert_int_eq(rs_heap_check(&h), 0);
    int before = grows;
    ck_assert_ptr_nonnull(rs_heap_alloc(&h, 2 << 20));    /* all of it, in one block */
    ck_assert_int_eq(grows, before);
}
END_TEST

START_TEST(random_workload_never_overlaps)
{
    enum { N = 300 };
    static uint8_t *p[N];
    static size_t len[N];
    unsigned seed = 12345;
    memset(p, 0, sizeof p);
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245 + 12345;
        int i = (int)(seed >> 8) % N;
        if (p[i]) {
            static uint8_t want[3000];
            memset(want, i, len[i]);
            ck_assert_int_eq(memcmp(p[i], want, len[i]), 0);   /* nobody wrote over it */
            size_t n = (seed >> 4) % 3000;
            if (seed & 0x10000 && !rs_heap_resize(&h, p[i], n)) {
                ck_assert_uint_ge(rs_heap_size(p[i]), n);
                len[i] = n < len[i] ? n : len[i];
                continue;
            }
            ck_assert_int_eq(rs_heap_free(&h, p[i]), 0);
            p[i] = 0;
        } else {
            len[i] = (seed >> 4) % 3000;
            p[i] = rs_heap_alloc(&h, len[i]);
            ck_assert_ptr_nonnull(p[i]);
            memset(p[i], i, len[i]);
        }
        if (round % 1000 == 0)
            ck_assert_int_eq(rs_heap_check(&h), 0);
    }
    ck_assert_int_eq(rs_heap_check(&h), 0);
    for (int i = 0; i < N; i++)
        rs_heap_free(&h, p[i]);
    ck_assert_uint_eq(h.in_use, 0);
    ck_assert_int_eq(rs_heap_check(&h), 0);
}
END_TEST

Suite *heap_suite(void)
{
    Suite *s = suite_create("heap");
    TCase *t = tcase_create("heap");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, blocks_are_aligned_and_distinct);
    tcase_add_test(t, freed_memory_is_reused);
    tcase_add_test(t, neighbours_coalesce);
    tcase_add_test(t, bad_and_double_frees_are_refused);
    tcase_add_test(t, running_out_is_null_not_a_crash);
    tcase_add_test(t, in_use_is_counted);
    tcase_add_test(t, resize_grows_into_a_free_neighbour_and_shrinks);
    tcase_add_test(t, corrupted_headers_are_noticed);
    tcase_add_test(t, pieces_grown_later_join_the_heap);
    tcase_add_test(t, random_workload_never_overlaps);
    suite_add_tcase(s, t);
    return s;
}
