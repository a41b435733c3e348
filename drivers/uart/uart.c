/* 16550 UART hardware and line discipline (see uart.h). Interrupt-driven in both
 * directions: receive drains the FIFO on "data available"/"timeout", transmit
 * refills up to 16 bytes on "transmitter empty", which is enabled only while
 * output is queued. */
#include <string.h>
#include <rs_console.h>
#include "uart.h"

enum {
    RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5,
    IER_RX = 0x01, IER_TX = 0x02, LSR_DR = 0x01, LSR_THRE = 0x20, FIFO_DEPTH = 16,
    CTRL_C = 0x03, CTRL_U = 0x15,
};

/* (A memory clobber: what comes before an outb in the program is done before it.) */
static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port) : "memory"); }
static uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

size_t uart_ring_used(const struct uart_ring *r) { return r->tail - r->head; }

size_t uart_ring_put(struct uart_ring *r, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t k = 0;
    for (; k < n && uart_ring_used(r) < UART_RING; k++)
        r->data[r->tail++ % UART_RING] = b[k];
    return k;
}

size_t uart_ring_get(struct uart_ring *r, void *p, size_t n)
{
    uint8_t *b = p;
    size_t k = 0;
    for (; k < n && r->head != r->tail; k++)
        b[k] = r->data[r->head++ % UART_RING];
    return k;
}

void uart_hw_init(struct uart *u, uint16_t base)
{
    u->base = base;
    u->line_mode = CONSOLE_MODE_LINE;
    outb(base + IER, 0);
    outb(base + LCR, 0x80);             /* divisor latch */
    outb(base + 0, 1);                  /* 115200 baud */
    outb(base + 1, 0);
    outb(base + LCR, 0x03);             /* 8N1 */
    outb(base + FCR, 0xC7);             /* FIFOs on and cleared, 14-byte trigger */
    outb(base + MCR, 0x0B);             /* DTR, RTS, OUT2 (gates the IRQ line) */
    while (inb(base + LSR) & LSR_DR)
        (void)inb(base + RBR);
    outb(base + IER, IER_RX);
}

void uart_check_begin(struct uart *u, const void *p, size_t n, uint64_t *progress)
{
    u->check = (struct uart_check){ .want = p, .len = n, .skip = uart_ring_used(&u->tx),
                                    .sum = CONSOLE_SUM_BASIS, .progress = progress };
}

int uart_check_sent(struct uart *u, uint8_t byte)
{
    struct uart_check *c = &u->check;
    if (!c->want)
        return 0;
    if (c->skip) {
        c->skip--;
        return 0;
    }
    if (c->at < c->len) {
        c->bad |= byte != c->want[c->at++];
        c->sum = console_sum(c->sum, &byte, 1);
        return 1;
    }
    c->bad = 1;
    return 0;
}

int uart_check_end(struct uart *u)
{
    struct uart_check *c = &u->check;
    int ok = c->want && !c->bad && c->at == c->len;
    c->want = 0;
    c->progress = 0;                /* it was the write's: gone with the reply */
    return ok ? 0 : -1;
}

/* Moves queued output into the FIFO; turns the "empty" interrupt on or off. */
static void tx_refill(struct uart *u)
{
    if (inb(u->base + LSR) & LSR_THRE) {
        uint8_t chunk[FIFO_DEPTH];
        uint64_t spare, *progress = u->check.progress ? u->check.progress : &spare;
        size_t n = uart_ring_get(&u->tx, chunk, FIFO_DEPTH);
        for (size_t i = 0; i < n; i++) {
            /* The write's progress counts a byte just before it goes, with no
             * branch between: a crash lands before both or after both. */
            *progress += (uint64_t)uart_check_sent(u, chunk[i]);
            outb(u->base + THR, chunk[i]);
        }
        u->tx_bytes += n;
    }
    outb(u->base + IER, IER_RX | (uart_ring_used(&u->tx) ? IER_TX : 0));
}

size_t uart_write(struct uart *u, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t done = 0;
    while (done < n) {
        done += uart_ring_put(&u->tx, b + done, n - done);
        if (done < n)                   /* ring full: transmit without waiting for IRQs */
            while (!(inb(u->base + LSR) & LSR_THRE))
                ;
        tx_refill(u);
    }
    return n;
}

size_t uart_drain_step(struct uart *u)
{
    if (uart_ring_used(&u->tx)) {
        while (!(inb(u->base + LSR) & LSR_THRE))
            ;
        tx_refill(u);
    }
    return uart_ring_used(&u->tx);
}

static void echo(struct uart *u, const char *s, size_t n)
{
    uart_ring_put(&u->tx, s, n);
}

/* Queues a whole line for readers, or nothing (with a bell) when the ring has no
 * room for all of it: a line is never cut. */
static void deliver(struct uart *u, const char *s, size_t n)
{
    if (UART_RING - uart_ring_used(&u->rx) < n) {
        echo(u, "\a", 1);
        return;
    }
    uart_ring_put(&u->rx, s, n);
    u->complete = uart_ring_used(&u->rx);
}

/* Enter: delivers the line, or the too-long marker in its place. */
static void end_line(struct uart *u)
{
    echo(u, "\r\n", 2);
    if (u->too_long) {
        deliver(u, CONSOLE_LINE_TOO_LONG, sizeof CONSOLE_LINE_TOO_LONG - 1);
    } else {
        u->line[u->line_len++] = '\n';
        deliver(u, u->line, u->line_len);
    }
    u->line_len = 0;
    u->too_long = 0;
}

/* Erases the last `n` characters of the line, on screen too. */
static void erase(struct uart *u, size_t n)
{
    for (; n && u->line_len; n--, u->line_len--)
        echo(u, "\b \b", 3);
    u->too_long = 0;
}

/* Ctrl-C: drops the line; the reader gets an empty one. */
static void interrupt_line(struct uart *u)
{
    echo(u, "^C\r\n", 4);
    u->line_len = 0;
    u->too_long = 0;
    deliver(u, "\n", 1);
}

/* A printable key: appended, or refused with a bell once the line is full. */
static void append(struct uart *u, uint8_t c)
{
    if (u->line_len == CONSOLE_LINE_MAX) {
        u->too_long = 1;
        echo(u, "\a", 1);
        return;
    }
    u->line[u->line_len++] = (char)c;
    echo(u, (const char *)&c, 1);
}

void uart_input(struct uart *u, uint8_t c)
{
    if (!u->line_mode) {
        uart_ring_put(&u->rx, &c, 1);
        u->complete = uart_ring_used(&u->rx);
    } else if (c == '\r' || c == '\n') {
        end_line(u);
    } else if (c == 0x08 || c == 0x7F) {
        erase(u, 1);
    } else if (c == CTRL_U) {
        erase(u, u->line_len);
    } else if (c == CTRL_C) {
        interrupt_line(u);
    } else if (c >= 0x20 && c < 0x7F) {
        append(u, c);
    }
}

void uart_interrupt(struct uart *u)
{
    u->irqs++;
    while (inb(u->base + LSR) & LSR_DR) {
        uart_input(u, inb(u->base + RBR));
        u->rx_bytes++;
    }
    (void)inb(u->base + IIR);           /* acknowledges a transmitter-empty interrupt */
    tx_refill(u);
}

size_t uart_readable(const struct uart *u)
{
    return u->complete;
}

size_t uart_read(struct uart *u, void *p, size_t max)
{
    uint8_t *b = p;
    size_t n = 0, limit = max < u->complete ? max : u->complete;
    while (n < limit) {
        uart_ring_get(&u->rx, b + n, 1);
        if (b[n++] == '\n' && u->line_mode)
            break;                      /* one line per read */
    }
    u->complete -= n;
    return n;
}
