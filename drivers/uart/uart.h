/* The 16550 UART: hardware access and the console's line discipline. The driver
 * task holds only the UART's I/O ports and its IRQ. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define UART_RING 16384

struct uart_ring {
    uint8_t data[UART_RING];
    size_t head, tail;              /* tail - head bytes queued */
};

struct uart {
    uint16_t base;                  /* first I/O port */
    int line_mode;                  /* CONSOLE_MODE_LINE: echo, editing, whole lines */
    struct uart_ring tx;            /* bytes waiting for the transmitter */
    struct uart_ring rx;            /* input ready for readers */
    char line[256];                 /* the line being typed (line mode) */
    size_t line_len;
    size_t complete;                /* bytes of rx that end with a newline */
    uint64_t irqs, rx_bytes, tx_bytes;
};

size_t uart_ring_used(const struct uart_ring *r);
size_t uart_ring_put(struct uart_ring *r, const void *p, size_t n);
size_t uart_ring_get(struct uart_ring *r, void *p, size_t n);

/* Programs the UART: 115200 8N1, FIFOs on, receive interrupts on. */
void uart_hw_init(struct uart *u, uint16_t base);

/* Queues output (transmitting synchronously when the ring is full); returns n. */
size_t uart_write(struct uart *u, const void *p, size_t n);

/* Handles everything the interrupt says: input through the line discipline,
 * transmitter refills. */
void uart_interrupt(struct uart *u);

/* Bytes a reader may take now: a complete line in line mode, anything in raw. */
size_t uart_readable(const struct uart *u);
size_t uart_read(struct uart *u, void *p, size_t max);

/* The line discipline for one received byte (pure: echo goes to the tx ring). */
void uart_input(struct uart *u, uint8_t c);
