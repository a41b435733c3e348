/* The console driver for a 16550 UART. A user-mode task holding only the UART's
 * I/O ports and IRQ (given by RS, <rs_service.h>); it serves the console protocol
 * (<proto/console.h>) on an endpoint it owns, which the server framework reports
 * to RS and publishes in the data store as "console". Copy this file to start a
 * new driver: the skeleton is init_fresh (take the hardware), a handler per call,
 * and notified() for interrupts.
 *
 * A write is answered only once its bytes have left the transmit ring for the
 * UART, and each is written exactly once: a client's first write opens a session
 * region (rs_server .session_state), the framework answers a write it already
 * answered from the region's record, and the progress word there says how many
 * of a cut-short write's bytes went out before its server died, so the retry
 * sends the rest. (A client without a region, out of quota, gets the old rule:
 * a crash mid-write is "outcome unknown", RS_E_UNKNOWN.) */
#include <string.h>
#include <proto/console.h>
#include <rs_console.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include "uart.h"

enum { PORTS = RS_GIVEN_PORTS, IRQ = RS_GIVEN_IRQ, EP = RS_GIVEN_FIRST_FREE, NTFN };

#define COM1 0x3F8
#define MAX_READERS 8

struct reader {
    uint64_t reply;                 /* saved reply capability */
    uint64_t max;
};

static struct uart uart;
static struct reader readers[MAX_READERS];
static unsigned nreaders;
static uint8_t out[RS_BUFFER_MAX];

/* What a client has written, kept in its session region. */
struct console_session {
    uint64_t writes, bytes;
};

static uint32_t console_write_handler(struct rs_request *r, void *state)
{
    (void)state;
    if (!r->session)
        rs_server_session_open(r);  /* none: the write goes on without one */
    uint64_t done = r->progress ? *r->progress : 0;
    if (done > r->len) {
        rs_warn("a write's progress (%lu of %lu bytes) is corrupt: refused",
                (unsigned long)done, (unsigned long)r->len);
        return RS_E_SESSION;
    }
    const uint8_t *rest = (const uint8_t *)r->buf + done;
    uint64_t n = r->len - done, sent = uart.tx_bytes, last = sent, most = n + UART_RING;
    uart_check_begin(&uart, rest, n, r->progress);
    uart.check.sum = console_sum(CONSOLE_SUM_BASIS, r->buf, done);  /* sent before */
    uart_write(&uart, rest, n);
    /* A long write is busy, not hung, while bytes go out, and only for as many as
     * it and what was queued before it can need: a loop past that, or one where
     * no byte goes out (a corrupted ring, say), is not progress and must look
     * hung to RS, not alive. */
    while (uart_drain_step(&uart)) {
        if (uart.tx_bytes > last && uart.tx_bytes - sent <= most)
            rs_server_alive();
        last = uart.tx_bytes;
    }
    if (uart_check_end(&uart))      /* the buffering is corrupt: fail, be restarted */
        rs_panic("the bytes sent differ from the %lu bytes written", (unsigned long)n);
    struct console_session *s = r->session;
    if (s)
        s->writes++, s->bytes += r->len;
    r->reply.w[0] = r->len;
    r->reply.w[1] = uart.check.sum;
    return 0;
}

static uint32_t console_read_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t max = r->req.w[0] < RS_BUFFER_MAX ? r->req.w[0] : RS_BUFFER_MAX;
    if (!max)
        return RS_E_INVAL;
    if (uart_readable(&uart) && !nreaders) {
        r->reply_len = uart_read(&uart, out, max);
        r->reply_buf = out;
        return 0;
    }
    if (nreaders == MAX_READERS)
        return RS_E_BUSY;
    uint64_t reply = rs_server_defer();
    if (!reply)
        return RS_E_NOMEM;
    readers[nreaders++] = (struct reader){ reply, max };
    return RS_SERVER_DEFERRED;
}

static uint32_t console_mode_handler(struct rs_request *r, void *state)
{
    (void)state;
    if (r->req.w[0] != CONSOLE_MODE_LINE && r->req.w[0] != CONSOLE_MODE_RAW)
        return RS_E_INVAL;
    uart.line_mode = (int)r->req.w[0];
    return 0;
}

static void drop_first_reader(void)
{
    memmove(readers, readers + 1, --nreaders * sizeof readers[0]);
}

/* Answers waiting readers, oldest first, while there is input for them. Input
 * taken for a reader that has gone away (its answer fails) goes to the next. */
static void serve_readers(void)
{
    while (nreaders && uart_readable(&uart)) {
        size_t n = uart_read(&uart, out, readers[0].max);
        while (nreaders && rs_server_answer(readers[0].reply, 0, 0, out,
                                            n < readers[0].max ? n : readers[0].max))
            drop_first_reader();
        if (nreaders)
            drop_first_reader();
    }
}

static void interrupt(uint64_t bits, void *state)
{
    (void)bits, (void)state;
    uart_interrupt(&uart);
    rs_irq_ack(IRQ);
    serve_readers();
}

static int take_hardware(void *state)
{
    (void)state;
    if (rs_ioports_enable(PORTS) || rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN, 0)
        || rs_irq_bind(IRQ, NTFN, 1) || rs_thread_bind_notification(RS_SLOT_THREAD, NTFN)) {
        rs_error("cannot take the UART's ports and IRQ (missing capabilities?)");
        return 1;
    }
    uart_hw_init(&uart, COM1);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)) {
        rs_error("cannot create the console endpoint");
        return 1;
    }
    rs_info("console ready on COM1, IRQ 4");
    return 0;
}

static const rs_handler_fn handlers[CONSOLE_LABELS] = {
    [CONSOLE_WRITE] = console_write_handler,
    [CONSOLE_READ] = console_read_handler,
    [CONSOLE_MODE] = console_mode_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "uart",
        .publish = "console",
        .endpoint = EP,
        .handlers = handlers,
        .nhandlers = CONSOLE_LABELS,
        .init_fresh = take_hardware,
        .init_restart = take_hardware,  /* nothing to recover: the hardware is reset */
        .notified = interrupt,
        .session_state = sizeof(struct console_session),
        .session_version = 1,
        .session_pages = 1,
    };
    return rs_server_run(&server);
}
