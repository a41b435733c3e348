/* The ATA disk driver: a user-mode task holding only the primary IDE channel's
 * eight command ports and its device control register (given by RS,
 * <rs_service.h>; no IRQ: it polls, ata.c). It serves the block protocol
 * (<proto/block.h>) on an endpoint it owns, published in the data store as
 * "block". Every start resets the device (SRST), so a new incarnation never
 * inherits a command its predecessor left half done.
 *
 * A write runs exactly once: a client's first write (or size) opens a session
 * region, the framework answers a write it already answered from the region's
 * record, and the progress word there counts the sectors the device reported
 * written, so a write cut short by a crash goes on from there when libsys sends
 * it again. Reads, flush and size are idempotent: after a crash they simply run
 * again. With no ATA disk on the channel the driver says so and exits 0, which
 * its transient policy leaves stopped. */
#include <proto/block.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "ata.h"

enum { PORTS = RS_GIVEN_FIRST_FREE, CTL_PORTS, EP };

#define BLOCK_VERSION 1

/* What a client has written, kept in its session region. */
struct block_session {
    uint64_t writes, sectors;
    uint64_t resumed;               /* writes that went on from a crashed try's progress */
};

static struct ata ata = { .base = ATA_PRIMARY, .ctl = ATA_PRIMARY_CTL };
static uint8_t data[ATA_MAX_SECTORS * ATA_SECTOR];

/* Where the request ends (the sector after its last), read again from the
 * message (volatile: not the values the handler computed from it): what
 * ata.request_end checks the device's command against. */
static uint64_t request_end(const struct rs_request *r, int write)
{
    const volatile struct rs_request *v = r;
    return v->req.w[0] + (write ? v->len / ATA_SECTOR : v->req.w[1]);
}

/* A transfer that answered success must have moved every sector: one that did
 * not is this driver gone wrong (fail-stop; the client's retry runs afresh). */
static void check_moved(uint64_t done, uint64_t count)
{
    if (done != count)
        rs_panic("a transfer of %lu sectors succeeded after %lu", (unsigned long)count,
                 (unsigned long)done);
}

static uint32_t read_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t lba = r->req.w[0], count = r->req.w[1], e = ata_check(&ata, lba, count), done;
    ata.request_end = request_end(r, 0);
    if (!e)
        e = ata_read(&ata, (uint32_t)lba, (unsigned)count, data, &done);
    if (e)
        return (uint32_t)e;
    check_moved(done, count);
    r->reply_buf = data;
    r->reply_len = count * ATA_SECTOR;
    return 0;
}

/* The buffer's sectors: RS_E_ALIGN for a length that is not whole sectors (0 is
 * left to ata_check: a count of 0). */
static uint64_t buffer_sectors(const struct rs_request *r, uint64_t *count)
{
    *count = r->len / ATA_SECTOR;
    return r->len % ATA_SECTOR ? RS_E_ALIGN : 0;
}

/* Counts a write in the session and answers it with the count, each read back
 * (volatile): a count read or stored elsewhere, or an answer built from
 * something else (a fault), must not answer with a number the session does
 * not hold. */
static void count_write(struct rs_request *r, struct block_session *s, uint64_t count,
                        uint64_t resumed)
{
    volatile struct block_session *v = s;
    const volatile struct rs_request *vr = r;
    uint64_t before = v->writes;
    if (v->writes != before)
        rs_panic("the session's count of writes was read wrong");
    v->writes = before + 1, s->sectors += count, s->resumed += resumed;
    r->reply.w[1] = v->writes;
    if (v->writes != before + 1 || vr->reply.w[1] != before + 1 || vr->reply.w[0] != count)
        rs_panic("the session's count of writes did not hold");
}

static uint32_t write_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t lba = r->req.w[0], count, e = buffer_sectors(r, &count);
    if (!e)
        e = ata_check(&ata, lba, count);
    if (e)
        return (uint32_t)e;
    if (!r->session)
        rs_server_session_open(r);      /* none (out of quota): no exactly-once */
    uint64_t none = 0, *done = r->progress ? r->progress : &none;
    if (*done > count) {
        rs_warn("a write's progress (%lu of %lu sectors) is corrupt: refused",
                (unsigned long)*done, (unsigned long)count);
        return RS_E_SESSION;
    }
    uint64_t resumed = *done > 0;
    ata.request_end = request_end(r, 1);
    e = ata_write(&ata, (uint32_t)lba, (unsigned)count, r->buf, done);
    if (e)
        return (uint32_t)e;
    check_moved(*done, count);
    struct block_session *s = r->session;
    r->reply.w[0] = count, r->reply.w[1] = 0;
    if (s) {
        rs_server_session_check(r, s);
        count_write(r, s, count, resumed);
    }
    return 0;
}

static uint32_t flush_handler(struct rs_request *r, void *state)
{
    (void)r, (void)state;
    return (uint32_t)ata_flush(&ata);
}

static uint32_t size_handler(struct rs_request *r, void *state)
{
    (void)state;
    if (!r->session)
        rs_server_session_open(r);      /* so that no write is ever its first call */
    r->reply.w[0] = ata.sectors;
    r->reply.w[1] = ATA_SECTOR;
    return 0;
}

static uint32_t stats_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct block_session *s = r->session;
    if (!s)
        return RS_E_NOENT;
    r->reply.w[0] = s->writes;
    r->reply.w[1] = s->sectors;
    r->reply.w[2] = s->resumed;
    return 0;
}

/* The primary channel's command block and control register: BARs 0 and 1 of the
 * PIIX IDE function, which the PCI server gives as its compatibility ports. */
static int take_hardware(void)
{
    struct rs_pci_device d;
    uint16_t base = 0, ctl = 0;
    uint64_t e = rs_pci_open(0, &d);
    if (!e)
        e = rs_pci_io_bar(0, PORTS, &base);
    if (!e)
        e = rs_pci_io_bar(1, CTL_PORTS, &ctl);
    if (!e && (base != ATA_PRIMARY || ctl != ATA_PRIMARY_CTL))
        e = RS_E_RANGE;             /* native mode: not the channel this driver knows */
    if (e) {
        rs_error("cannot take the IDE channel's ports from the PCI server: %s",
                 rs_error_name(e));
        return 1;
    }
    uint64_t hz = rs_tsc_hz();
    ata.tsc_per_ms = hz >= 1000 ? hz / 1000 : 1000000;
    ata.progress = rs_server_alive;
    return 0;
}

/* Takes the hardware, resets the device and learns its size; with no disk,
 * exits 0 (there is nothing to serve, and nothing to restart). */
/* Reset and IDENTIFY, up to three times: a drive still settling from its reset
 * (QEMU finishes one apart from the port write, late on a loaded host) can miss
 * or abort the first IDENTIFY, and "no disk" must mean that no disk answered. */
static uint64_t bring_up(void)
{
    uint64_t e = RS_E_NOENT;
    for (int tries = 0; tries < 3 && e; tries++) {
        if (tries)
            rs_info("the disk did not answer IDENTIFY (error %lu): reset again",
                    (unsigned long)e);
        e = ata_reset(&ata);
        if (!e)
            e = ata_identify(&ata);
    }
    return e;
}

static int start(void)
{
    if (take_hardware())
        return 1;
    if (ata_mid_command(&ata))
        rs_info("the device is in the middle of a command: reset");
    uint64_t e = bring_up();
    if (e == RS_E_NOENT) {
        rs_info("no disk on the primary IDE channel (master): nothing to serve");
        rs_exit(0);
    }
    if (e) {
        rs_error("the disk does not answer after a reset (error %lu)", (unsigned long)e);
        return 1;
    }
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)) {
        rs_error("cannot create the block endpoint");
        return 1;
    }
    rs_info("disk '%s': %lu sectors (%lu KiB), LBA28 PIO, polled", ata.model,
            (unsigned long)ata.sectors, (unsigned long)ata.sectors / 2);
    return 0;
}

static int init_fresh(void *state)
{
    (void)state;
    return start();
}

/* Nothing of the last incarnation is trusted but its clients' session regions:
 * the device is reset and identified again, and a write it cut short comes back
 * from its client with its request id and progress. */
static int init_restart(void *state)
{
    (void)state;
    return start();
}

static const rs_handler_fn handlers[BLOCK_LABELS] = {
    [BLOCK_READ] = read_handler,
    [BLOCK_WRITE] = write_handler,
    [BLOCK_FLUSH] = flush_handler,
    [BLOCK_SIZE] = size_handler,
    [BLOCK_STATS] = stats_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "ata",
        .publish = "block",
        .endpoint = EP,
        .handlers = handlers,
        .nhandlers = BLOCK_LABELS,
        .init_fresh = init_fresh,
        .init_restart = init_restart,
        .session_state = sizeof(struct block_session),
        .session_version = BLOCK_VERSION,
        .session_pages = 1,
    };
    return rs_server_run(&server);
}
