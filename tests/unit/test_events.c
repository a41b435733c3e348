/* Unit tests of RS's event lines (reincarnation/events.c). */
#include <string.h>
#include "events.h"
#include "suites.h"

START_TEST(test_event_line_has_every_field)
{
    char buf[EVENT_LINE_MAX];
    struct event e = { "restart", "uart", 3, "crash", 41, 873, "vector 6" };
    size_t n = event_format(&e, 1234, buf, sizeof buf);
    ck_assert_str_eq(buf, "{\"t_us\":1234,\"event\":\"restart\",\"service\":\"uart\","
                          "\"incarnation\":3,\"reason\":\"crash\",\"detect_us\":41,"
                          "\"recover_us\":873,\"detail\":\"vector 6\"}\n");
    ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

START_TEST(test_unknown_values_are_null)
{
    char buf[EVENT_LINE_MAX];
    struct event e = { "stop", "shell", 1, NULL, EVENT_UNKNOWN, EVENT_UNKNOWN, NULL };
    event_format(&e, 5, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "\"reason\":null,\"detect_us\":null,\"recover_us\":null,"
                                      "\"detail\":null}"));
}
END_TEST

START_TEST(test_strings_are_escaped)
{
    char buf[EVENT_LINE_MAX];
    struct event e = { "refused", "a\"b", 1, NULL, 0, 0, "x\\y\nz" };
    event_format(&e, 0, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "\"service\":\"a\\\"b\""));
    ck_assert_ptr_nonnull(strstr(buf, "\"detail\":\"x\\\\y\\u000az\""));
    ck_assert_ptr_null(strchr(buf, '\n') == buf + strlen(buf) - 1 ? NULL : buf);
}
END_TEST

START_TEST(test_long_detail_is_cut_to_a_whole_line)
{
    char detail[600], buf[200];
    memset(detail, 'x', sizeof detail - 1);
    detail[sizeof detail - 1] = '\0';
    struct event e = { "refused", "uart", 1, NULL, 0, 0, detail };
    size_t n = event_format(&e, 0, buf, sizeof buf);
    ck_assert_uint_lt(n, sizeof buf);
    ck_assert_int_eq(buf[n - 1], '\n');
    ck_assert_ptr_nonnull(strstr(buf, "\"detail\":\"(cut)\"}\n"));
}
END_TEST

Suite *events_suite(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("event lines");
    tcase_add_test(tc, test_event_line_has_every_field);
    tcase_add_test(tc, test_unknown_values_are_null);
    tcase_add_test(tc, test_strings_are_escaped);
    tcase_add_test(tc, test_long_detail_is_cut_to_a_whole_line);
    suite_add_tcase(s, tc);
    return s;
}
