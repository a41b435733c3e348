/* ATA PIO on the primary channel's master drive (see ata.h): the task file, the
 * status polls and the data transfers. Polling, not IRQ 14: a PIO transfer moves
 * each sector through the data port under the CPU anyway, so an interrupt would
 * only replace a short poll with a notification round trip; nIEN stays set, so
 * the drive never raises its line, and the driver holds no IRQ. */
#include <stddef.h>
#include <rs_log.h>
#include <rsys.h>
#include "ata.h"

enum {                                  /* command block, from a->base */
    REG_DATA = 0, REG_ERROR = 1, REG_COUNT = 2, REG_LBA0 = 3, REG_LBA1 = 4, REG_LBA2 = 5,
    REG_DEVICE = 6, REG_STATUS = 7, REG_COMMAND = 7,
};
enum { ST_ERR = 0x01, ST_DRQ = 0x08, ST_DF = 0x20, ST_DRDY = 0x40, ST_BSY = 0x80 };
enum { CTL_NIEN = 0x02, CTL_SRST = 0x04 };          /* device control (a->ctl) */
enum { DEV_MASTER_LBA = 0xE0 };                     /* device: LBA mode, drive 0 */
enum { CMD_READ = 0x20, CMD_WRITE = 0x30, CMD_FLUSH = 0xE7, CMD_IDENTIFY = 0xEC };
enum { WORDS = ATA_SECTOR / 2 };

/* (A memory clobber: what comes before a port write is done before it.) */
static void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port) : "memory"); }
static uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* One sector (or IDENTIFY's words) through the data port, *at moved on past it
 * by the string instruction itself: a transfer's place in its buffer is kept by
 * the instruction that moves the data, with no arithmetic of the driver's own
 * that a fault could leave behind (the end is checked: see transfer_ended). */
static void insw(uint16_t port, uint8_t **at, size_t words)
{
    __asm__ volatile("rep insw" : "+D"(*at), "+c"(words) : "d"(port) : "memory");
}

static void outsw(uint16_t port, const uint8_t **at, size_t words)
{
    __asm__ volatile("rep outsw" : "+S"(*at), "+c"(words) : "d"(port) : "memory");
}

/* A transfer whose place in its buffer did not end at the buffer's end moved
 * sectors to or from the wrong bytes: this driver is wrong (fail-stop). */
static void transfer_ended(const void *at, const void *end)
{
    if (at != end)
        rs_panic("a transfer ended %ld bytes from its buffer's end",
                 (long)((const uint8_t *)at - (const uint8_t *)end));
}

/* The 400 ns a drive may take to show a new status: four reads of the alternate
 * status register, which (unlike the status register) acknowledges nothing. */
static void settle(const struct ata *a)
{
    for (int i = 0; i < 4; i++)
        (void)inb(a->ctl);
}

static void spin_us(const struct ata *a, uint64_t us)
{
    uint64_t end = rs_tsc() + us * a->tsc_per_ms / 1000 + 1;
    while (rs_tsc() < end)
        __builtin_ia32_pause();
}

static void moved(const struct ata *a)
{
    if (a->progress)
        a->progress();
}

/* Polls until BSY is clear, at most ms (the loop is bounded by the clock, and by
 * nothing else the device can hold up): 0 with the status in *st, or
 * RS_E_TIMEOUT. With beat set it reports progress while it waits (a flush). */
static uint64_t wait_not_busy(const struct ata *a, uint64_t ms, int beat, uint8_t *st)
{
    uint64_t end = rs_tsc() + ms * a->tsc_per_ms;
    for (;;) {
        *st = inb(a->base + REG_STATUS);
        if (!(*st & ST_BSY))
            return 0;
        if (rs_tsc() >= end)
            return RS_E_TIMEOUT;
        if (beat)
            moved(a);
        __builtin_ia32_pause();
    }
}

/* After a command or a sector: BSY clear with every bit of `want` set. 0, or
 * RS_E_TIMEOUT, or RS_E_FAULT (an error, or the device stopped otherwise). */
static uint64_t wait_for(const struct ata *a, uint8_t want, uint64_t ms, int beat)
{
    uint8_t st;
    uint64_t e = wait_not_busy(a, ms, beat, &st);
    if (e)
        return e;
    if (st & (ST_ERR | ST_DF))
        return RS_E_FAULT;
    return (st & want) == want ? 0 : RS_E_FAULT;
}

/* Selects the master (with lba's top four bits) and waits until it can take a
 * command: not busy, no data pending. */
static uint64_t select_master(const struct ata *a, uint32_t lba)
{
    uint8_t st;
    outb(a->base + REG_DEVICE, DEV_MASTER_LBA | (uint8_t)(lba >> 24 & 0x0F));
    settle(a);
    uint64_t e = wait_not_busy(a, ATA_WAIT_MS, 0, &st);
    return e ? e : (st & ST_DRQ) ? RS_E_FAULT : 0;
}

/* Whether the task file, as the device holds it, names lba and count: the
 * address rebuilt from its registers by another path than the one that split it
 * (a fault in this driver's arithmetic must not send a sector elsewhere). */
static int task_file_is(const struct ata *a, uint32_t lba, unsigned count)
{
    uint32_t held = (uint32_t)inb(a->base + REG_LBA0) | (uint32_t)inb(a->base + REG_LBA1) << 8
                    | (uint32_t)inb(a->base + REG_LBA2) << 16
                    | (uint32_t)(inb(a->base + REG_DEVICE) & 0x0F) << 24;
    return held == lba && inb(a->base + REG_COUNT) == (uint8_t)count;
}

/* The task file of READ or WRITE SECTORS, checked, then the command. A command
 * that would not end where the request does (a->request_end, which the caller
 * took from the request by another path) stops the driver before the device has
 * it: a fault in this driver must not read or write another client's sectors. */
static uint64_t issue(const struct ata *a, uint8_t cmd, uint32_t lba, unsigned count)
{
    if ((uint64_t)lba + count != a->request_end)    /* this driver is wrong: fail-stop */
        rs_panic("a command for sectors %u..%u is not the request's (which ends at %lu)",
                 lba, lba + count - 1, (unsigned long)a->request_end);
    uint64_t e = select_master(a, lba);
    if (e)
        return e;
    outb(a->base + REG_COUNT, (uint8_t)count);
    outb(a->base + REG_LBA0, (uint8_t)lba);
    outb(a->base + REG_LBA1, (uint8_t)(lba >> 8));
    outb(a->base + REG_LBA2, (uint8_t)(lba >> 16));
    if (!task_file_is(a, lba, count)) {
        rs_warn("the task file does not hold sector %u, count %u: not issued", lba, count);
        return RS_E_FAULT;
    }
    outb(a->base + REG_COMMAND, cmd);
    settle(a);
    return 0;
}

int ata_mid_command(const struct ata *a)
{
    uint8_t st = inb(a->ctl);
    return st != 0xFF && (st & (ST_BSY | ST_DRQ));
}

uint64_t ata_reset(struct ata *a)
{
    uint8_t st;
    outb(a->ctl, CTL_NIEN | CTL_SRST);
    spin_us(a, 5);
    outb(a->ctl, CTL_NIEN);
    spin_us(a, 2000);
    if (inb(a->ctl) == 0xFF)
        return RS_E_NOENT;              /* a floating bus: no drive at all */
    return wait_not_busy(a, ATA_RESET_MS, 0, &st);
}

/* IDENTIFY's model string: 40 characters, two to a word, high byte first. */
static void copy_model(struct ata *a, const uint16_t *id)
{
    int n = 0;
    for (int w = 27; w <= 46; w++) {
        a->model[n++] = (char)(id[w] >> 8);
        a->model[n++] = (char)id[w];
    }
    while (n > 0 && a->model[n - 1] == ' ')
        n--;
    a->model[n] = '\0';
}

uint64_t ata_identify(struct ata *a)
{
    static uint16_t id[WORDS];
    uint64_t e = select_master(a, 0);
    if (e)
        return e;
    outb(a->base + REG_COMMAND, CMD_IDENTIFY);
    settle(a);
    if (inb(a->base + REG_STATUS) == 0)
        return RS_E_NOENT;              /* nothing answers as the master */
    e = wait_for(a, ST_DRQ, ATA_WAIT_MS, 0);
    if (e == RS_E_FAULT)
        return RS_E_NOENT;              /* aborted: an ATAPI device, not a disk */
    if (e)
        return e;
    uint8_t *at = (uint8_t *)id;
    insw(a->base + REG_DATA, &at, WORDS);
    if (!(id[49] & (1u << 9)))
        return RS_E_NOENT;              /* no LBA: not a disk this driver drives */
    uint32_t n = id[60] | (uint32_t)id[61] << 16;
    a->sectors = n < ATA_LBA28_END ? n : ATA_LBA28_END;
    copy_model(a, id);
    return a->sectors ? 0 : RS_E_NOENT;
}

uint64_t ata_check(const struct ata *a, uint64_t lba, uint64_t count)
{
    if (count == 0 || count > ATA_MAX_SECTORS)
        return RS_E_INVAL;
    if (lba >= a->sectors || count > a->sectors - lba)
        return RS_E_RANGE;
    return 0;
}

uint64_t ata_read(struct ata *a, uint32_t lba, unsigned count, void *buf, uint64_t *done)
{
    *done = 0;
    uint8_t *at = buf;
    uint64_t e = issue(a, CMD_READ, lba, count);
    for (unsigned i = 0; !e && i < count; i++) {
        e = wait_for(a, ST_DRQ, ATA_WAIT_MS, 0);
        if (e)
            break;
        insw(a->base + REG_DATA, &at, WORDS);
        settle(a);
        *done = i + 1;
        moved(a);
    }
    if (!e)
        transfer_ended(at, (uint8_t *)buf + (size_t)count * ATA_SECTOR);
    return e;
}

uint64_t ata_write(struct ata *a, uint32_t lba, unsigned count, const void *buf, uint64_t *done)
{
    unsigned first = (unsigned)*done;
    if (first >= count)
        return 0;
    uint64_t e = issue(a, CMD_WRITE, lba + first, count - first);
    if (!e)
        e = wait_for(a, ST_DRQ, ATA_WAIT_MS, 0);
    const uint8_t *at = (const uint8_t *)buf + (size_t)first * ATA_SECTOR;
    for (unsigned i = first; !e && i < count; i++) {
        outsw(a->base + REG_DATA, &at, WORDS);
        settle(a);
        /* The device writes the sector (BSY), then asks for the next (DRQ) or,
         * after the last, goes idle: either way this one is written. */
        e = wait_for(a, i + 1 < count ? ST_DRQ : 0, ATA_WAIT_MS, 0);
        if (!e) {
            *done = i + 1;
            moved(a);
        }
    }
    if (!e && at != (const uint8_t *)buf + (size_t)count * ATA_SECTOR)
        *done = 0;                      /* sectors sent from the wrong bytes: the
                                           retry writes them all again */
    if (!e)
        transfer_ended(at, (const uint8_t *)buf + (size_t)count * ATA_SECTOR);
    return e;
}

uint64_t ata_flush(struct ata *a)
{
    uint64_t e = select_master(a, 0);
    if (e)
        return e;
    outb(a->base + REG_COMMAND, CMD_FLUSH);
    settle(a);
    return wait_for(a, 0, ATA_FLUSH_MS, 1);
}
