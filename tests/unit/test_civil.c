/* Unit tests of the real-time clock's calendar arithmetic (kernel/civil.c). */
#include "civil.h"
#include "suites.h"

START_TEST(test_known_dates)
{
    ck_assert_uint_eq(civil_to_unix(1970, 1, 1, 0, 0, 0), 0);
    ck_assert_uint_eq(civil_to_unix(2000, 3, 1, 0, 0, 0), 951868800);     /* after a leap day */
    ck_assert_uint_eq(civil_to_unix(2026, 12, 2, 13, 17, 26), 1796217446);
    ck_assert_uint_eq(civil_to_unix(2038, 1, 19, 3, 14, 8), 2147483648ull); /* past 2^31 */
    ck_assert_uint_eq(civil_to_unix(2100, 3, 1, 0, 0, 0), 4107542400ull); /* 2100 is no leap year */
}
END_TEST

START_TEST(test_out_of_range_is_zero)
{
    ck_assert_uint_eq(civil_to_unix(1969, 12, 31, 23, 59, 59), 0);
    ck_assert_uint_eq(civil_to_unix(2026, 13, 1, 0, 0, 0), 0);
    ck_assert_uint_eq(civil_to_unix(2026, 0, 1, 0, 0, 0), 0);
    ck_assert_uint_eq(civil_to_unix(2026, 1, 32, 0, 0, 0), 0);
    ck_assert_uint_eq(civil_to_unix(2026, 1, 1, 24, 0, 0), 0);
    ck_assert_uint_eq(civil_bcd(0x59), 59);
}
END_TEST

Suite *civil_suite(void)
{
    Suite *s = suite_create("civil");
    TCase *tc = tcase_create("calendar");
    tcase_add_test(tc, test_known_dates);
    tcase_add_test(tc, test_out_of_range_is_zero);
    suite_add_tcase(s, tc);
    return s;
}
