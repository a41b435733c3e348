/* Unit tests for the console line discipline of drivers/uart/uart.c: echo,
 * backspace editing, whole lines to readers, raw mode, and the rings. */
#include <string.h>
#include "suites.h"
#include <rs_console.h>
#include "uart.h"

static struct uart u;

static void setup(void)
{
    memset(&u, 0, sizeof u);
    u.line_mode = CONSOLE_MODE_LINE;
}

static void type(const char *s)
{
    while (*s)
        uart_input(&u, (uint8_t)*s++);
}

/* What was echoed, as a string. */
static const char *echoed(void)
{
    static char out[256];
    size_t n = uart_ring_get(&u.tx, out, sizeof out - 1);
    out[n] = '\0';
    return out;
}

static const char *read_all(size_t max)
{
    static char in[256];
    size_t n = uart_read(&u, in, max);
    in[n] = '\0';
    return in;
}

START_TEST(a_line_is_readable_only_when_complete)
{
    type("help");
    ck_assert_uint_eq(uart_readable(&u), 0);
    type("\r");
    ck_assert_uint_eq(uart_readable(&u), 5);
    ck_assert_str_eq(read_all(64), "help\n");
    ck_assert_uint_eq(uart_readable(&u), 0);
}
END_TEST

START_TEST(typing_is_echoed_with_a_newline)
{
    type("ps\r");
    ck_assert_str_eq(echoed(), "ps\r\n");
}
END_TEST

START_TEST(backspace_erases_on_screen_and_in_the_line)
{
    type("hx\x7f" "elp\x08p\n");
    ck_assert_str_eq(read_all(64), "help\n");
    ck_assert_str_eq(echoed(), "hx\b \belp\b \bp\r\n");
}
END_TEST

START_TEST(backspace_on_an_empty_line_does_nothing)
{
    type("\x7f\x7f" "a\r");
    ck_assert_str_eq(echoed(), "a\r\n");
    ck_assert_str_eq(read_all(64), "a\n");
}
END_TEST

START_TEST(control_characters_are_ignored)
{
    type("a\x01\x1b" "b\r");
    ck_assert_str_eq(read_all(64), "ab\n");
}
END_TEST

START_TEST(reads_return_one_line_at_a_time)
{
    type("one\rtwo\r");
    ck_assert_str_eq(read_all(64), "one\n");
    ck_assert_str_eq(read_all(64), "two\n");
}
END_TEST

START_TEST(a_short_read_leaves_the_rest)
{
    type("abcdef\r");
    ck_assert_str_eq(read_all(3), "abc");
    ck_assert_str_eq(read_all(64), "def\n");
}
END_TEST

START_TEST(long_lines_are_cut_not_overflowed)
{
    for (int i = 0; i < 400; i++)
        uart_input(&u, 'x');
    uart_input(&u, '\r');
    ck_assert_uint_eq(uart_readable(&u), sizeof u.line);
}
END_TEST

START_TEST(raw_mode_passes_bytes_at_once_without_echo)
{
    u.line_mode = CONSOLE_MODE_RAW;
    type("a\x7f");
    ck_assert_uint_eq(uart_readable(&u), 2);
    ck_assert_str_eq(echoed(), "");
    ck_assert_str_eq(read_all(64), "a\x7f");
}
END_TEST

START_TEST(ring_refuses_what_does_not_fit)
{
    static uint8_t big[UART_RING + 10];
    ck_assert_uint_eq(uart_ring_put(&u.tx, big, sizeof big), UART_RING);
    ck_assert_uint_eq(uart_ring_used(&u.tx), UART_RING);
    ck_assert_uint_eq(uart_ring_get(&u.tx, big, 10), 10);
    ck_assert_uint_eq(uart_ring_put(&u.tx, big, 20), 10);
}
END_TEST

Suite *uart_suite(void)
{
    Suite *s = suite_create("uart");
    TCase *t = tcase_create("line discipline");
    tcase_add_checked_fixture(t, setup, 0);
    tcase_add_test(t, a_line_is_readable_only_when_complete);
    tcase_add_test(t, typing_is_echoed_with_a_newline);
    tcase_add_test(t, backspace_erases_on_screen_and_in_the_line);
    tcase_add_test(t, backspace_on_an_empty_line_does_nothing);
    tcase_add_test(t, control_characters_are_ignored);
    tcase_add_test(t, reads_return_one_line_at_a_time);
    tcase_add_test(t, a_short_read_leaves_the_rest);
    tcase_add_test(t, long_lines_are_cut_not_overflowed);
    tcase_add_test(t, raw_mode_passes_bytes_at_once_without_echo);
    tcase_add_test(t, ring_refuses_what_does_not_fit);
    suite_add_tcase(s, t);
    return s;
}
