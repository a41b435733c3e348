/* The ATA disk on the primary IDE channel (master), in LBA28 PIO mode: register-
 * level access with no IPC in it (main.c serves the block protocol over it). The
 * driver polls the status register and keeps the drive's interrupt off (nIEN):
 * it holds the channel's eight command ports and its device control register,
 * and no IRQ line. */
#pragma once
#include <stdint.h>

#define ATA_SECTOR      512
#define ATA_MAX_SECTORS 8               /* per request: 4 KiB, one message buffer */
#define ATA_LBA28_END   (1u << 28)      /* sectors an LBA28 command can reach */

#define ATA_PRIMARY     0x1F0           /* command block: data .. status/command */
#define ATA_PRIMARY_CTL 0x3F6           /* alternate status / device control */

/* Bounds on every wait for the device, in ms. A wait is a bounded loop over the
 * status register that never tells RS it is alive: a device stuck for longer
 * than the driver's heartbeat deadline makes the driver look hung, and RS's
 * restart resets the device (ata_reset). These bounds only matter where nobody
 * watches the heartbeat. */
#define ATA_WAIT_MS     500             /* a sector, a command's start */
#define ATA_RESET_MS    2000            /* the drive coming out of a reset */
#define ATA_FLUSH_MS    5000            /* the write cache reaching the medium */

struct ata {
    uint16_t base, ctl;                 /* the ports (ATA_PRIMARY, ATA_PRIMARY_CTL) */
    uint32_t sectors;                   /* LBA28 sectors (ata_identify), 0 before */
    uint64_t tsc_per_ms;                /* the clock the waits are bounded by */
    void (*progress)(void);             /* called after each sector moved (the
                                           driver's heartbeat), or NULL */
    char model[41];                     /* from IDENTIFY, NUL-terminated */
    uint64_t request_end;               /* the sector after the request's, as the
                                           caller read it from the request itself:
                                           a command that would end elsewhere
                                           stops the driver (rs_panic) */
};

/* Every function returns 0 or an RS_E_* code:
 *   RS_E_NOENT    no ATA disk answers (nothing attached, or an ATAPI device)
 *   RS_E_TIMEOUT  the device stayed busy past its bound
 *   RS_E_FAULT    the device reported an error (ERR or DF in its status): the
 *                 kernel's table has no I/O error code yet
 *   RS_E_INVAL, RS_E_RANGE   (ata_check) a request the disk cannot take */

/* Software reset of the channel (SRST in the device control register), with the
 * drive's interrupt kept off: whatever command an earlier incarnation left half
 * done is abandoned, and the drive is idle. a->base, a->ctl and a->tsc_per_ms
 * must be set and the ports enabled. RS_E_NOENT for a floating bus (0xFF). */
uint64_t ata_reset(struct ata *a);

/* Whether the device is in the middle of a command (BSY or DRQ in the alternate
 * status, which acknowledges nothing): what a crashed incarnation can leave. */
int ata_mid_command(const struct ata *a);

/* IDENTIFY DEVICE: fills a->sectors (the LBA28 size, at most ATA_LBA28_END) and
 * a->model. RS_E_NOENT when no ATA disk is there. */
uint64_t ata_identify(struct ata *a);

/* Whether count sectors from lba are a request the disk can take: RS_E_INVAL for
 * a count of 0 or more than ATA_MAX_SECTORS, RS_E_RANGE for sectors past its end.
 * Pure. */
uint64_t ata_check(const struct ata *a, uint64_t lba, uint64_t count);

/* READ SECTORS: count sectors from lba into buf (count * ATA_SECTOR bytes), *done
 * counting those read. The request must have passed ata_check, and lba + count
 * must be a->request_end (else the driver stops, nothing issued). */
uint64_t ata_read(struct ata *a, uint32_t lba, unsigned count, void *buf, uint64_t *done);

/* WRITE SECTORS: sectors *done .. count - 1 of the request (lba, count, buf) are
 * written, and *done moves on as each is reported written by the device, so a
 * write cut short (its driver died) goes on from where it stood. *done <= count
 * and the request passed ata_check; on an error *done says how far it got. As
 * for ata_read, lba + count must be a->request_end. */
uint64_t ata_write(struct ata *a, uint32_t lba, unsigned count, const void *buf, uint64_t *done);

/* CACHE FLUSH: what the drive holds in its write cache reaches the medium. */
uint64_t ata_flush(struct ata *a);
