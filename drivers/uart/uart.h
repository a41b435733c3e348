/* The 16550 UART: hardware access and the console's line discipline. The driver
 * task holds only the UART's I/O ports and its IRQ. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define UART_RING 16384

/* Line mode, as a reader sees it (CONSOLE_MODE_LINE). These two belong to the
 * console protocol; readers that cannot include this header (the shell) mirror
 * them under the same #ifndef, so they can move to <rs_console.h> unchanged.
 *
 * Every read returns at most one line, and every line ends with '\n'. Keys:
 *   printable (0x20..0x7E)  appended and echoed; once the line holds
 *                           CONSOLE_LINE_MAX characters it is refused with a bell
 *                           (0x07, no echo) and the line is marked too long
 *   CR or LF                ends the line (echo "\r\n"); a line marked too long
 *                           is discarded and the reader gets CONSOLE_LINE_TOO_LONG
 *   BS or DEL               erases the last character ("\b \b"), clears the mark
 *   Ctrl-U (0x15)           erases the whole line ("\b \b" per character), clears
 *                           the mark
 *   Ctrl-C (0x03)           discards the line, echoes "^C\r\n" and delivers an
 *                           empty line "\n": a shell just prompts again, once
 *   anything else           ignored
 * So what was echoed is what is delivered, except that a line into which a key
 * was refused (and not erased since) is never delivered cut: it becomes the
 * marker. A line for which the input ring (UART_RING bytes unread) has no room is
 * dropped whole, with a bell. Raw mode passes every byte at once, unedited and
 * unechoed. */
#ifndef CONSOLE_LINE_MAX
#define CONSOLE_LINE_MAX 255            /* characters in a line, without its '\n' */
#define CONSOLE_LINE_TOO_LONG "\x18\n"  /* CAN, newline: a line over the maximum */
#endif

struct uart_ring {
    uint8_t data[UART_RING];
    size_t head, tail;              /* tail - head bytes queued */
};

/* The check that a write went out as it came in: the bytes the transmitter is
 * given while a write drains are compared with the write's own (after `skip`
 * bytes queued before it). A fault in the driver's buffering (a ring index off
 * by one, say) then shows as a failure instead of output silently lost. */
struct uart_check {
    const uint8_t *want;            /* the write's bytes; NULL: no write checked */
    size_t len, at, skip;
    int bad;                        /* a byte differed, or came beyond the write */
    uint32_t sum;                   /* console_sum of the write's bytes sent, from
                                       CONSOLE_SUM_BASIS (or another start) */
    uint64_t *progress;             /* or NULL: counts the write's bytes given to the
                                       transmitter, each just before it goes */
};

struct uart {
    uint16_t base;                  /* first I/O port */
    int line_mode;                  /* CONSOLE_MODE_LINE: echo, editing, whole lines */
    struct uart_ring tx;            /* bytes waiting for the transmitter */
    struct uart_ring rx;            /* input ready for readers */
    char line[CONSOLE_LINE_MAX + 1];    /* the line being typed, room for its '\n' */
    size_t line_len;
    int too_long;                   /* a key was refused into this line */
    size_t complete;                /* bytes of rx that end with a newline */
    uint64_t irqs, rx_bytes, tx_bytes;
    struct uart_check check;
};

/* Starts checking a write of p[0..n), before it is queued; *progress (if not
 * NULL) goes up by one for each of its bytes sent. */
void uart_check_begin(struct uart *u, const void *p, size_t n, uint64_t *progress);
/* One byte given to the transmitter: 1 when it is one of the write's. */
int uart_check_sent(struct uart *u, uint8_t byte);
/* Ends the check: 0 when exactly the write's bytes went out, in order; -1 if not. */
int uart_check_end(struct uart *u);

size_t uart_ring_used(const struct uart_ring *r);
size_t uart_ring_put(struct uart_ring *r, const void *p, size_t n);
size_t uart_ring_get(struct uart_ring *r, void *p, size_t n);

/* Programs the UART: 115200 8N1, FIFOs on, receive interrupts on. */
void uart_hw_init(struct uart *u, uint16_t base);

/* Queues output (transmitting synchronously when the ring is full); returns n. */
size_t uart_write(struct uart *u, const void *p, size_t n);

/* Waits (polling) until the transmitter takes the next FIFO's worth of queued
 * bytes; returns how many are still queued. */
size_t uart_drain_step(struct uart *u);

/* Handles everything the interrupt says: input through the line discipline,
 * transmitter refills. */
void uart_interrupt(struct uart *u);

/* Bytes a reader may take now: a complete line in line mode, anything in raw. */
size_t uart_readable(const struct uart *u);
size_t uart_read(struct uart *u, void *p, size_t max);

/* The line discipline for one received byte (pure: echo goes to the tx ring). */
void uart_input(struct uart *u, uint8_t c);
