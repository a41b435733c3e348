/* Unit tests for libsys/session.c's region header: what a restarted server
 * checks before it trusts a session region an earlier incarnation wrote. */
#include <string.h>
#include "suites.h"
#include <rs_session.h>

#define BYTES 8192

static uint8_t region[BYTES];

static void setup(void)
{
    memset(region, 0, sizeof region);
}

START_TEST(a_new_region_is_fresh_and_a_sealed_one_valid)
{
    ck_assert_int_eq(rs_session_check(region, BYTES, 1), RS_SESSION_FRESH);
    memcpy(rs_session_state(region), "hello", 5);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 1, 5), 0);
    ck_assert_int_eq(rs_session_check(region, BYTES, 1), RS_SESSION_VALID);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 1, 5), 0);      /* sealed again */
    ck_assert_uint_eq(((struct rs_session_header *)region)->seals, 2);
    ck_assert_int_eq(rs_session_check(region, BYTES, 1), RS_SESSION_VALID);
}
END_TEST

START_TEST(any_changed_bit_makes_it_corrupt)
{
    const uint32_t size = 100;
    memset(rs_session_state(region), 0x5A, size);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 3, size), 0);
    size_t covered = sizeof(struct rs_session_header) + size;
    for (size_t i = 0; i < covered; i++) {
        for (int bit = 0; bit < 8; bit++) {
            region[i] ^= (uint8_t)(1u << bit);
            ck_assert_msg(rs_session_check(region, BYTES, 3) == RS_SESSION_CORRUPT,
                          "byte %zu bit %d flipped, not seen", i, bit);
            region[i] ^= (uint8_t)(1u << bit);
        }
    }
    region[covered] ^= 1;           /* past the state: not covered, not wrong */
    ck_assert_int_eq(rs_session_check(region, BYTES, 3), RS_SESSION_VALID);
}
END_TEST

START_TEST(another_version_or_an_impossible_size_is_corrupt)
{
    ck_assert_int_eq(rs_session_seal(region, BYTES, 2, 16), 0);
    ck_assert_int_eq(rs_session_check(region, BYTES, 3), RS_SESSION_CORRUPT);
    ck_assert_int_eq(rs_session_check(region, sizeof(struct rs_session_header) + 15, 2),
                     RS_SESSION_CORRUPT);                  /* its state does not fit */
    ck_assert_int_eq(rs_session_check(region, 8, 2), RS_SESSION_CORRUPT);
    ck_assert_int_eq(rs_session_seal(region, BYTES, 2, BYTES), -1);         /* cannot fit */
    ck_assert_int_eq(rs_session_seal(region, 8, 2, 0), -1);
    ck_assert_int_eq(rs_session_check(region, BYTES, 2), RS_SESSION_VALID); /* unchanged */
}
END_TEST

Suite *session_suite(void)
{
    Suite *s = suite_create("session regions");
    TCase *t = tcase_create("header");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, a_new_region_is_fresh_and_a_sealed_one_valid);
    tcase_add_test(t, any_changed_bit_makes_it_corrupt);
    tcase_add_test(t, another_version_or_an_impossible_size_is_corrupt);
    suite_add_tcase(s, t);
    return s;
}
