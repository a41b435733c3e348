/* fmt_snprintf / fmt_vsnprintf: conversions, flags, width, precision, length
 * modifiers and truncation, checked against the host's snprintf. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include "format.h"
#include "suites.h"

/* Formats with both the host's snprintf and fmt_snprintf (so GCC checks the
 * arguments against the format) and requires the same text and return value. */
#define EXPECT_SAME(...)                                                        \
    do {                                                                        \
        char want_[256], got_[256];                                             \
        int want_n_ = snprintf(want_, sizeof want_, __VA_ARGS__);               \
        int got_n_ = fmt_snprintf(got_, sizeof got_, __VA_ARGS__);              \
        ck_assert_str_eq(got_, want_);                                          \
        ck_assert_int_eq(got_n_, want_n_);                                      \
    } while (0)

/* As EXPECT_SAME for flag combinations GCC warns about (a flag the standard says
 * is ignored): the arguments are not checked, so each call site keeps them simple. */
static void expect_same_unchecked(const char *fmt, ...)
{
    char want[256], got[256];
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int want_n = vsnprintf(want, sizeof want, fmt, ap);
    int got_n = fmt_vsnprintf(got, sizeof got, fmt, aq);
    va_end(aq);
    va_end(ap);
    ck_assert_str_eq(got, want);
    ck_assert_int_eq(got_n, want_n);
}

/* Calls fmt_vsnprintf with a format GCC does not check: for formats the host
 * compiler warns about (unknown conversions, flags it considers meaningless). */
static int kfmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats into a large buffer and requires exactly `want` and its length back. */
static void expect_kfmt(const char *want, const char *fmt, unsigned arg)
{
    char buf[64];
    int n = kfmt(buf, sizeof buf, fmt, arg);
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(test_literal_text_and_percent_sign)
{
    EXPECT_SAME("hello, kernel");
    EXPECT_SAME("100%%");
    EXPECT_SAME("%%d %d%%", 5);
}
END_TEST

START_TEST(test_decimal_matches_host)
{
    EXPECT_SAME("%d|%d|%d", 0, 42, -42);
    EXPECT_SAME("%d|%d", INT_MAX, INT_MIN);
    EXPECT_SAME("%i %i", 7, -7);
    EXPECT_SAME("%u|%u|%u", 0u, 123456u, UINT_MAX);
}
END_TEST

START_TEST(test_hex_and_octal_match_host)
{
    EXPECT_SAME("%x|%x|%x", 0u, 0xdeadbeefu, UINT_MAX);
    EXPECT_SAME("%X", 0xdeadbeefu);
    EXPECT_SAME("%o|%o|%o|%o", 0u, 8u, 0755u, UINT_MAX);
}
END_TEST

START_TEST(test_pointer_matches_host)
{
    int x;
    EXPECT_SAME("%p", (void *)&x);
    EXPECT_SAME("%p", (void *)0x1000);
    EXPECT_SAME("%p", (void *)UINTPTR_MAX);
}
END_TEST

START_TEST(test_string_and_char)
{
    const char *volatile null = NULL;
    char buf[16];
    EXPECT_SAME("[%s]-[%s]-[%s]", "one", "two", "");
    EXPECT_SAME("%c%c%c", 'a', 'b', 'c');
    ck_assert_int_eq(kfmt(buf, sizeof buf, "%s", null), 6);
    ck_assert_str_eq(buf, "(null)");
}
END_TEST

START_TEST(test_width_and_left_justify)
{
    EXPECT_SAME("[%5d][%5d][%8x][%6s][%3c]", 42, -42, 0xabcu, "ab", 'q');
    EXPECT_SAME("[%-5d][%-8x][%-6s][%-3c]", 42, 0xabcu, "ab", 'q');
    EXPECT_SAME("[%2d]", 12345);
}
END_TEST

START_TEST(test_zero_padding)
{
    EXPECT_SAME("[%05d][%05d][%08X][%06o]", 42, -42, 0xBEEFu, 8u);
    expect_same_unchecked("[%-05d]", 42);       /* '-' overrides '0' */
    expect_same_unchecked("[%0-5d]", -42);
}
END_TEST

START_TEST(test_sign_flags_on_signed)
{
    EXPECT_SAME("[%+d][%+d][%+d][%+6d][%+06d]", 5, -5, 0, 99, 99);
    EXPECT_SAME("[% d][% d][% 05d]", 5, -5, 42);
    expect_same_unchecked("[%+ d]", 5);         /* '+' overrides ' ' */
}
END_TEST

START_TEST(test_alt_flag_on_hex_and_octal)
{
    EXPECT_SAME("%#x|%#X|%#x", 0xffu, 0xffu, 0u);
    EXPECT_SAME("%#o|%#o", 8u, 0u);
    EXPECT_SAME("[%#10x][%#010x][%-#10x]", 0x1234u, 0x1234u, 0x1234u);
    EXPECT_SAME("[%#.6x]", 0x1fu);
}
END_TEST

START_TEST(test_precision_on_integers)
{
    EXPECT_SAME("[%.3d][%.3d][%8.3d][%-8.3x][%.1d]", 7, -7, 7, 0xau, 12345);
    expect_same_unchecked("[%08.3d]", 42);      /* precision disables '0' */
    expect_same_unchecked("[%08.3x]", 0x42u);
}
END_TEST

START_TEST(test_zero_precision_with_zero_value_prints_no_digits)
{
    EXPECT_SAME("[%.0d][%5.0d][%.0x][%+.0d][%.d]", 0, 0, 0u, 0, 0);
}
END_TEST

START_TEST(test_precision_limits_strings)
{
    EXPECT_SAME("[%.2s][%.0s][%.10s]", "abcdef", "abcdef", "abc");
    EXPECT_SAME("[%-6.3s][%6.3s]", "abcdef", "abcdef");
}
END_TEST

START_TEST(test_star_width_including_negative)
{
    EXPECT_SAME("[%*d][%*s][%-*d][%*d]", 6, 42, 4, "a", 6, 42, 0, 42);
    EXPECT_SAME("[%*d][%*s]", -6, 42, -4, "a");
}
END_TEST

START_TEST(test_star_precision_negative_counts_as_absent)
{
    EXPECT_SAME("[%.*d][%.*s][%*.*x]", 5, 42, 2, "abcdef", 8, 4, 0xau);
    EXPECT_SAME("[%.*d][%.*s]", -1, 42, -3, "abcdef");
    expect_same_unchecked("[%06.*d]", -1, 42);
}
END_TEST

START_TEST(test_short_length_modifiers_truncate)
{
    EXPECT_SAME("%hhd|%hhd|%hhu|%hhx", 200, -1, 300, 0x1ff);
    EXPECT_SAME("%hd|%hu|%hx|%hd", 40000, 70000, 0x12345, -2);
}
END_TEST

START_TEST(test_long_length_modifiers_full_range)
{
    EXPECT_SAME("%ld|%ld|%lu|%lx", LONG_MIN, LONG_MAX, ULONG_MAX, 0x123456789abcdef0ul);
    EXPECT_SAME("%lld|%llu|%llX|%llo", LLONG_MIN, ULLONG_MAX, 0xfedcba9876543210ull,
                ULLONG_MAX);
    EXPECT_SAME("%zu|%zx|%zd", (size_t)SIZE_MAX, (size_t)0x1000, (ssize_t)-3);
}
END_TEST

START_TEST(test_mixed_conversions_in_one_format)
{
    EXPECT_SAME("%s=%d (%#x) [%-4c] %5.2s %%%lu", "k", -1, 255u, 'v', "xyz", 77ul);
}
END_TEST

START_TEST(test_truncation_matches_host_for_every_size)
{
    for (size_t size = 1; size <= 24; size++) {
        char want[24], got[24];
        memset(want, '#', sizeof want);
        memset(got, '#', sizeof got);
        int wn = snprintf(want, size, "[%-6s|%+05d|%#x]", "ab", 42, 0x2au);
        int gn = fmt_snprintf(got, size, "[%-6s|%+05d|%#x]", "ab", 42, 0x2au);
        ck_assert_int_eq(gn, wn);               /* the full length, not what fit */
        ck_assert_mem_eq(got, want, sizeof got);
    }
}
END_TEST

START_TEST(test_size_zero_writes_nothing)
{
    char buf[4] = { 'a', 'b', 'c', 'd' };
    ck_assert_int_eq(fmt_snprintf(buf, 0, "%s", "xyz"), 3);
    ck_assert_mem_eq(buf, "abcd", 4);
    ck_assert_int_eq(fmt_snprintf(NULL, 0, "%d%s", 1234, "abc"), 7);
}
END_TEST

START_TEST(test_size_one_writes_only_terminator)
{
    char buf[2] = { 'a', 'b' };
    ck_assert_int_eq(fmt_snprintf(buf, 1, "%s", "xyz"), 3);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(buf[1], 'b');
}
END_TEST

START_TEST(test_unknown_conversion_copied_verbatim)
{
    char buf[32];
    ck_assert_int_eq(kfmt(buf, sizeof buf, "a%kb"), 4);
    ck_assert_str_eq(buf, "a%kb");
    ck_assert_int_eq(kfmt(buf, sizeof buf, "[%-5q]"), 6);
    ck_assert_str_eq(buf, "[%-5q]");
    ck_assert_int_eq(kfmt(buf, sizeof buf, "%k%d", 7), 3);      /* no argument used */
    ck_assert_str_eq(buf, "%k7");
}
END_TEST

START_TEST(test_trailing_percent_copied_verbatim)
{
    char buf[16];
    ck_assert_int_eq(kfmt(buf, sizeof buf, "50%"), 3);
    ck_assert_str_eq(buf, "50%");
    ck_assert_int_eq(kfmt(buf, sizeof buf, "x%-5"), 4);
    ck_assert_str_eq(buf, "x%-5");
}
END_TEST

/* Bugs found while writing these tests: they fail until format.c is fixed. */

START_TEST(test_plus_and_space_flags_ignored_for_unsigned)
{
    /* C11 7.21.6.1: '+' and ' ' apply to signed conversions only. */
    expect_kfmt("5", "%+u", 5);
    expect_kfmt("5", "% u", 5);
    expect_kfmt("ff", "%+x", 0xff);
    expect_kfmt("17", "% o", 017);
}
END_TEST

START_TEST(test_alt_octal_raises_precision_only_if_needed)
{
    /* '#' with o forces a leading zero by raising the precision, not by adding one. */
    expect_kfmt("010", "%#.3o", 8);
    expect_kfmt("00010", "%#.5o", 8);
}
END_TEST

START_TEST(test_alt_octal_zero_with_zero_precision)
{
    /* out_number reads tmp[-1] here (stack-buffer-underflow under ASan). */
    expect_kfmt("0", "%#.0o", 0);
}
END_TEST

START_TEST(test_alt_hex_zero_with_zero_precision_is_empty)
{
    /* A zero value gets no 0x prefix, even when no digits are printed. */
    expect_kfmt("", "%#.0x", 0);
}
END_TEST

START_TEST(test_precision_string_not_read_past_limit)
{
    /* With a precision the array need not be terminated (C11 7.21.6.1p8); out_text
     * reads s[n] before checking n < precision, one byte past the array here. */
    char unterminated[3] = { 'x', 'y', 'z' };
    char buf[16];
    ck_assert_int_eq(fmt_snprintf(buf, sizeof buf, "%.3s", unterminated), 3);
    ck_assert_str_eq(buf, "xyz");
}
END_TEST

Suite *format_suite(void)
{
    Suite *s = suite_create("format");
    TCase *tc = tcase_create("format");
    tcase_add_test(tc, test_literal_text_and_percent_sign);
    tcase_add_test(tc, test_decimal_matches_host);
    tcase_add_test(tc, test_hex_and_octal_match_host);
    tcase_add_test(tc, test_pointer_matches_host);
    tcase_add_test(tc, test_string_and_char);
    tcase_add_test(tc, test_width_and_left_justify);
    tcase_add_test(tc, test_zero_padding);
    tcase_add_test(tc, test_sign_flags_on_signed);
    tcase_add_test(tc, test_alt_flag_on_hex_and_octal);
    tcase_add_test(tc, test_precision_on_integers);
    tcase_add_test(tc, test_zero_precision_with_zero_value_prints_no_digits);
    tcase_add_test(tc, test_precision_limits_strings);
    tcase_add_test(tc, test_star_width_including_negative);
    tcase_add_test(tc, test_star_precision_negative_counts_as_absent);
    tcase_add_test(tc, test_short_length_modifiers_truncate);
    tcase_add_test(tc, test_long_length_modifiers_full_range);
    tcase_add_test(tc, test_mixed_conversions_in_one_format);
    tcase_add_test(tc, test_truncation_matches_host_for_every_size);
    tcase_add_test(tc, test_size_zero_writes_nothing);
    tcase_add_test(tc, test_size_one_writes_only_terminator);
    tcase_add_test(tc, test_unknown_conversion_copied_verbatim);
    tcase_add_test(tc, test_trailing_percent_copied_verbatim);
    suite_add_tcase(s, tc);

    TCase *bugs = tcase_create("format_regressions");
    tcase_add_test(bugs, test_plus_and_space_flags_ignored_for_unsigned);
    tcase_add_test(bugs, test_alt_octal_raises_precision_only_if_needed);
    tcase_add_test(bugs, test_alt_octal_zero_with_zero_precision);
    tcase_add_test(bugs, test_alt_hex_zero_with_zero_precision_is_empty);
    tcase_add_test(bugs, test_precision_string_not_read_past_limit);
    suite_add_tcase(s, bugs);
    return s;
}
