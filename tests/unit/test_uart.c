/* Unit tests for the console line discipline of drivers/uart/uart.c: echo,
 * backspace, Ctrl-U and Ctrl-C editing, whole lines to readers, over-long lines,
 * raw mode, and the rings. */
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

/* Types `n` copies of c. */
static void type_n(char c, size_t n)
{
    while (n--)
        uart_input(&u, (uint8_t)c);
}

/* Forgets what was echoed so far. */
static void drop_echo(void)
{
    u.tx.head = u.tx.tail;
}

/* What was echoed, as a string. */
static const char *echoed(void)
{
    static char out[1024];
    size_t n = uart_ring_get(&u.tx, out, sizeof out - 1);
    out[n] = '\0';
    return out;
}

static const char *read_all(size_t max)
{
    static char in[1024];
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

START_TEST(cr_and_lf_both_end_a_line)
{
    type("a\nb\r");
    ck_assert_str_eq(read_all(64), "a\n");
    ck_assert_str_eq(read_all(64), "b\n");
    ck_assert_str_eq(echoed(), "a\r\nb\r\n");
}
END_TEST

START_TEST(a_line_of_the_maximum_length_is_delivered_whole)
{
    type_n('x', CONSOLE_LINE_MAX);
    type("\r");
    ck_assert_uint_eq(uart_readable(&u), CONSOLE_LINE_MAX + 1);
    const char *got = read_all(1024);
    ck_assert_uint_eq(strlen(got), CONSOLE_LINE_MAX + 1);
    ck_assert_int_eq(got[CONSOLE_LINE_MAX - 1], 'x');
    ck_assert_int_eq(got[CONSOLE_LINE_MAX], '\n');
    ck_assert_ptr_null(strchr(echoed(), '\a'));
}
END_TEST

START_TEST(keys_past_the_maximum_ring_the_bell_unechoed)
{
    type_n('x', CONSOLE_LINE_MAX);
    drop_echo();
    type("yz");
    ck_assert_str_eq(echoed(), "\a\a");
    ck_assert_uint_eq(u.line_len, CONSOLE_LINE_MAX);
}
END_TEST

START_TEST(an_over_long_line_is_one_marker_not_two_lines)
{
    type_n('x', 400);
    type("\r");
    ck_assert_uint_eq(uart_readable(&u), strlen(CONSOLE_LINE_TOO_LONG));
    ck_assert_str_eq(read_all(1024), CONSOLE_LINE_TOO_LONG);
    ck_assert_uint_eq(uart_readable(&u), 0);
    type("ps\r");
    ck_assert_str_eq(read_all(1024), "ps\n");
}
END_TEST

START_TEST(an_erase_after_a_refused_key_makes_room)
{
    type_n('x', CONSOLE_LINE_MAX);
    type("y\x7f" "z\r");
    const char *got = read_all(1024);
    ck_assert_uint_eq(strlen(got), CONSOLE_LINE_MAX + 1);
    ck_assert_int_eq(got[CONSOLE_LINE_MAX - 2], 'x');
    ck_assert_int_eq(got[CONSOLE_LINE_MAX - 1], 'z');
}
END_TEST

START_TEST(ctrl_u_erases_the_whole_line)
{
    type("abc\x15" "ps\r");
    ck_assert_str_eq(read_all(64), "ps\n");
    ck_assert_str_eq(echoed(), "abc\b \b\b \b\b \bps\r\n");
}
END_TEST

START_TEST(ctrl_u_on_an_empty_line_echoes_nothing)
{
    type("\x15" "a\r");
    ck_assert_str_eq(echoed(), "a\r\n");
    ck_assert_str_eq(read_all(64), "a\n");
}
END_TEST

START_TEST(ctrl_u_clears_an_over_long_line)
{
    type_n('x', 300);
    type("\x15" "ps\r");
    ck_assert_str_eq(read_all(1024), "ps\n");
    ck_assert_uint_eq(uart_readable(&u), 0);
}
END_TEST

START_TEST(ctrl_c_discards_the_line_and_delivers_an_empty_one)
{
    type("kill ua\x03");
    ck_assert_str_eq(echoed(), "kill ua^C\r\n");
    ck_assert_uint_eq(uart_readable(&u), 1);
    ck_assert_str_eq(read_all(64), "\n");
    type("ps\r");
    ck_assert_str_eq(read_all(64), "ps\n");
}
END_TEST

START_TEST(ctrl_c_on_an_over_long_line_gives_an_empty_line)
{
    type_n('x', 300);
    type("\x03" "ps\r");
    ck_assert_str_eq(read_all(1024), "\n");
    ck_assert_str_eq(read_all(1024), "ps\n");
}
END_TEST

START_TEST(a_line_the_input_ring_cannot_hold_is_dropped_whole)
{
    for (size_t i = 0; i < UART_RING / (CONSOLE_LINE_MAX + 1); i++) {
        type_n('x', CONSOLE_LINE_MAX);
        type("\r");
    }
    ck_assert_uint_eq(uart_readable(&u), UART_RING);
    drop_echo();
    type("ab\r");
    ck_assert_str_eq(echoed(), "ab\r\n\a");
    ck_assert_uint_eq(uart_readable(&u), UART_RING);
    ck_assert_uint_eq(strlen(read_all(1024)), CONSOLE_LINE_MAX + 1);
    type("ab\r");
    ck_assert_uint_eq(uart_readable(&u), UART_RING - CONSOLE_LINE_MAX - 1 + 3);
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

START_TEST(raw_mode_passes_control_keys_unchanged)
{
    u.line_mode = CONSOLE_MODE_RAW;
    type("\x03\x15\r");
    ck_assert_uint_eq(uart_readable(&u), 3);
    ck_assert_str_eq(echoed(), "");
    ck_assert_str_eq(read_all(64), "\x03\x15\r");
}
END_TEST

START_TEST(a_write_sent_as_written_passes_the_check)
{
    uint64_t progress = 0;
    type("ab");                                     /* echo queued before the write */
    uart_check_begin(&u, "xyz", 3, &progress);
    const char *sent = "abxyz";
    int counted = 0;
    for (const char *p = sent; *p; p++)
        counted = counted * 2 + uart_check_sent(&u, (uint8_t)*p);
    ck_assert_int_eq(counted, 7);                   /* the write's bytes, not the echo */
    ck_assert_uint_eq(u.check.sum, console_sum(CONSOLE_SUM_BASIS, "xyz", 3));
    ck_assert_int_eq(uart_check_end(&u), 0);
    ck_assert_ptr_null(u.check.progress);           /* the write's progress is forgotten */
    uart_check_sent(&u, 'q');                       /* outside a write: not checked */
    ck_assert_int_eq(uart_check_end(&u), -1);       /* and no write to end */
}
END_TEST

START_TEST(a_write_lost_changed_or_grown_fails_the_check)
{
    static const char *const sent[] = { "xy", "xzz", "xyzz", "yxz" };   /* short, ... */
    for (unsigned i = 0; i < 4; i++) {
        uart_check_begin(&u, "xyz", 3, 0);
        for (const char *p = sent[i]; *p; p++)
            uart_check_sent(&u, (uint8_t)*p);
        ck_assert_int_eq(uart_check_end(&u), -1);
    }
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
    tcase_add_test(t, cr_and_lf_both_end_a_line);
    tcase_add_test(t, a_line_of_the_maximum_length_is_delivered_whole);
    tcase_add_test(t, keys_past_the_maximum_ring_the_bell_unechoed);
    tcase_add_test(t, an_over_long_line_is_one_marker_not_two_lines);
    tcase_add_test(t, an_erase_after_a_refused_key_makes_room);
    tcase_add_test(t, ctrl_u_erases_the_whole_line);
    tcase_add_test(t, ctrl_u_on_an_empty_line_echoes_nothing);
    tcase_add_test(t, ctrl_u_clears_an_over_long_line);
    tcase_add_test(t, ctrl_c_discards_the_line_and_delivers_an_empty_one);
    tcase_add_test(t, ctrl_c_on_an_over_long_line_gives_an_empty_line);
    tcase_add_test(t, a_line_the_input_ring_cannot_hold_is_dropped_whole);
    tcase_add_test(t, raw_mode_passes_bytes_at_once_without_echo);
    tcase_add_test(t, raw_mode_passes_control_keys_unchanged);
    tcase_add_test(t, ring_refuses_what_does_not_fit);
    tcase_add_test(t, a_write_sent_as_written_passes_the_check);
    tcase_add_test(t, a_write_lost_changed_or_grown_fails_the_check);
    suite_add_tcase(s, t);
    return s;
}
