/* The virtio-blk driver (QEMU -device virtio-blk-pci,disable-legacy=on: PCI
 * 1af4:1042, the modern interface). It holds only what the PCI server gave it
 * for its own device (the BAR with the virtio structures) and one DMA frame with
 * its queue, request header, data and status byte, the only memory the device
 * is told about. It serves the block protocol (<proto/block.h>) on its endpoint,
 * published as "block".
 *
 * Recovery: each incarnation resets the device (status 0) before anything else,
 * so a request a dead incarnation left in the queue is forgotten by the device,
 * and the client's retry is the only one that runs. Reads and flushes are
 * idempotent; a write is answered once through the session region (the
 * framework answers a repeated request id from its record), and writing the
 * same sectors again, should a crash fall between the device's write and the
 * answer, leaves them as the first try did. */
#include <stdlib.h>
#include <string.h>
#include <proto/block.h>
#include <rs_invoke.h>
#include <rs_io.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "../virtio/virtio.h"

enum { BAR = RS_GIVEN_FIRST_FREE, DMA, DEVDMA, EP };

#define REGS_VA 0x600000000ull
#define DMA_VA  0x610000000ull
#define DMA_PAGES 3                 /* queue + header/status, then the 4 KiB of data */
#define SECTOR 512
#define MAX_SECTORS 8
#define REQUEST_MS 2000             /* a request the device has not used by then: hung */

#define VIRTIO_BLK_F_FLUSH (1ull << 9)
#define VIRTIO_BLK_T_IN    0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK    0

struct blk_header {
    uint32_t type, reserved;
    uint64_t sector;
};

/* This client's record, in its session region. */
struct blk_session {
    uint64_t writes, sectors;
};

static struct virtio_dev dev;
static struct virtq queue;
static uint64_t capacity, features, dma_bus;
static uint8_t *dma;                /* [0, 1024) queue, 1024 header, 1040 status, 4096 data */

#define HEADER (dma + VIRTQ_BYTES)
#define STATUS (dma + VIRTQ_BYTES + sizeof(struct blk_header))
#define DATA   (dma + 4096)

static void chain_at(unsigned i, uint64_t bus, uint32_t len, uint16_t flags, int more)
{
    queue.desc[i] = (struct virtq_desc){ bus, len, (uint16_t)(flags | (more ? VIRTQ_DESC_F_NEXT : 0)),
                                         (uint16_t)(i + 1) };
}

static void chain(unsigned i, uint64_t off, uint32_t len, uint16_t flags, int more)
{
    chain_at(i, dma_bus + off, len, flags, more);
}

/* The request being served, read again from its message (volatile: not the
 * values the handler computed from it): run() checks the device's request
 * against it, so a fault in this driver cannot read or write other sectors. */
static uint64_t request_sector, request_bytes;
static const uint8_t *request_buf;
static uint32_t request_type;       /* VIRTIO_BLK_T_IN, _OUT or _FLUSH */

static void take_request(const struct rs_request *r, uint32_t type)
{
    const volatile struct rs_request *v = r;
    request_type = type;
    request_sector = type == VIRTIO_BLK_T_FLUSH ? 0 : v->req.w[0];
    request_bytes = type == VIRTIO_BLK_T_OUT ? v->len
                    : type == VIRTIO_BLK_T_IN ? v->req.w[1] * SECTOR : 0;
    request_buf = v->buf;
    if (request_bytes > MAX_SECTORS * SECTOR)
        rs_panic("a request of %lu bytes is not the one checked", (unsigned long)request_bytes);
}

/* Whether the header and the chain, as the device will read them, are the
 * request's (its kind, its sectors, its length, its direction): a request that
 * is not stops the driver (fail-stop). A read or a write has three descriptors
 * (header, data, status), a flush two. */
static void check_request(uint64_t sector, uint32_t len)
{
    const volatile struct blk_header *h = (const volatile void *)HEADER;
    const volatile struct virtq_desc *d = queue.desc;
    uint64_t bus = *(const volatile uint64_t *)&dma_bus;   /* not the chain's sums */
    uint32_t type = *(const volatile uint32_t *)&request_type;
    unsigned st = type == VIRTIO_BLK_T_FLUSH ? 1 : 2;       /* the status descriptor */
    uint16_t data = (uint16_t)(VIRTQ_DESC_F_NEXT | (type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0));
    if (h->type != type || h->sector != request_sector || len != request_bytes
        || d[0].addr != bus + VIRTQ_BYTES || d[0].len != sizeof *h
        || d[0].flags != VIRTQ_DESC_F_NEXT || d[0].next != 1
        || (st == 2 && (d[1].addr != bus + 4096 || d[1].len != len || d[1].flags != data
                        || d[1].next != 2))
        || d[st].addr != bus + VIRTQ_BYTES + sizeof *h || d[st].len != 1
        || d[st].flags != VIRTQ_DESC_F_WRITE)
        rs_panic("a device request for %u bytes at sector %lu is not the client's",
                 len, (unsigned long)sector);
}

/* Runs one request (header, the data of len bytes unless a flush, status) to
 * completion, once check_request has found it the one take_request took. */
static uint64_t run(uint32_t type, uint64_t sector, uint32_t len)
{
    struct blk_header *h = (struct blk_header *)HEADER;
    *h = (struct blk_header){ type, 0, sector };
    *STATUS = 0xFF;
    unsigned n = 0;
    chain(n++, VIRTQ_BYTES, sizeof *h, 0, 1);
    if (type != VIRTIO_BLK_T_FLUSH)
        chain(n++, 4096, len, type == VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0, 1);
    chain(n, VIRTQ_BYTES + sizeof *h, 1, VIRTQ_DESC_F_WRITE, 0);
    check_request(sector, len);
    virtq_submit(&queue);
    uint32_t used = 0;
    uint64_t e = virtq_wait(&queue, REQUEST_MS, &used);
    if (e == RS_E_TIMEOUT)
        rs_panic("the device did not finish a request in %d ms", REQUEST_MS);
    if (e)
        rs_panic("the device used a descriptor chain it was not given");
    return *STATUS == VIRTIO_BLK_S_OK ? 0 : RS_E_FORMAT;
}

/* Checks a request for sectors [lba, lba + count). */
static uint64_t check_range(uint64_t lba, uint64_t count)
{
    if (count == 0 || count > MAX_SECTORS)
        return RS_E_INVAL;
    return lba >= capacity || count > capacity - lba ? RS_E_RANGE : 0;
}

static uint32_t read_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t lba = r->req.w[0], count = r->req.w[1];
    uint64_t e = check_range(lba, count);
    if (e)
        return (uint32_t)e;
    take_request(r, VIRTIO_BLK_T_IN);
    e = run(VIRTIO_BLK_T_IN, lba, (uint32_t)(count * SECTOR));
    if (e)
        return (uint32_t)e;
    r->reply_buf = DATA;
    r->reply_len = count * SECTOR;
    return 0;
}

/* Counts a write in the session and answers it with the count, each read back
 * (volatile): a count read or stored elsewhere, or an answer built from
 * something else (a fault), must not answer with a number the session does
 * not hold. */
static void count_write(struct rs_request *r, struct blk_session *s, uint64_t count)
{
    volatile struct blk_session *v = s;
    const volatile struct rs_request *vr = r;
    uint64_t before = v->writes;
    if (v->writes != before)
        rs_panic("the session's count of writes was read wrong");
    v->writes = before + 1, s->sectors += count;
    r->reply.w[1] = v->writes;
    if (v->writes != before + 1 || vr->reply.w[1] != before + 1 || vr->reply.w[0] != count)
        rs_panic("the session's count of writes did not hold");
}

static uint32_t write_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t lba = r->req.w[0], count = r->len / SECTOR;
    if (r->len % SECTOR)
        return RS_E_ALIGN;
    uint64_t e = check_range(lba, count);
    if (e)
        return (uint32_t)e;
    if (!r->session)
        rs_server_session_open(r);  /* none (out of quota): written, but not once-only */
    take_request(r, VIRTIO_BLK_T_OUT);  /* the copy is of the request as read again,
                                           and run() checks the handler's length */
    if (rs_copy_checked(DATA, request_buf, request_bytes))
        rs_panic("a write's data was copied wrong");   /* not written: written again */
    e = run(VIRTIO_BLK_T_OUT, lba, (uint32_t)r->len);
    if (e)
        return (uint32_t)e;
    struct blk_session *s = r->session;
    r->reply.w[0] = count, r->reply.w[1] = 0;
    if (s) {
        rs_server_session_check(r, s);
        count_write(r, s, count);
    }
    return 0;
}

static uint32_t flush(const struct rs_request *r)
{
    take_request(r, VIRTIO_BLK_T_FLUSH);
    return (uint32_t)run(VIRTIO_BLK_T_FLUSH, 0, 0);
}

static uint32_t flush_handler(struct rs_request *r, void *state)
{
    (void)state;
    return (features & VIRTIO_BLK_F_FLUSH) ? flush(r) : 0;
}

static uint32_t size_handler(struct rs_request *r, void *state)
{
    (void)state;
    r->reply.w[0] = capacity;
    r->reply.w[1] = SECTOR;
    return 0;
}

static uint32_t stats_handler(struct rs_request *r, void *state)
{
    (void)state;
    struct blk_session *s = r->session;
    if (!s)
        return RS_E_NOENT;          /* no session: no count to give (not a count of 0) */
    r->reply.w[0] = s->writes;
    r->reply.w[1] = s->sectors;
    return 0;
}

/* The device, reset, with its queue in our DMA frame and bus mastering on. */
static int take_device(void)
{
    struct rs_pci_device d;
    int fenced = 0;
    uint64_t e = rs_pci_open(0, &d);
    if (!e)
        e = virtio_find(&dev, BAR, REGS_VA);
    if (!e)
        e = rs_pci_dma_frame(DEVDMA, DMA, DMA_PAGES, DMA_VA, &dma_bus, &fenced);
    if (!e)
        e = virtio_start(&dev, VIRTIO_BLK_F_FLUSH, &features);
    dma = (uint8_t *)DMA_VA;
    if (!e)
        e = virtq_setup(&dev, &queue, 0, dma, dma_bus);
    if (!e)
        e = rs_pci_bus_master(1);
    if (e) {
        rs_error("cannot take the virtio-blk device: %s", rs_error_name(e));
        return 1;
    }
    virtio_ready(&dev);
    capacity = mmio_read64(dev.device);
    rs_info("virtio-blk %02x:%02x.%x: %lu sectors (%lu KiB)%s; DMA %s", d.bdf >> 8,
            (d.bdf >> 3) & 31, d.bdf & 7, (unsigned long)capacity, (unsigned long)(capacity / 2),
            (features & VIRTIO_BLK_F_FLUSH) ? ", write cache flushed on request" : "",
            fenced ? "fenced by the IOMMU" : "not fenced (no IOMMU): trusted");
    return 0;
}

/* The isolation test's corrupted driver (`evil=ADDR`, first incarnation only):
 * points a read's data at physical address ADDR, which it was never granted
 * (the kernel's code, say). With an IOMMU the device's write is refused and
 * this task faults (RS_FAULT_DMA); without one it would land. */
static void misdirect_dma(void)
{
    char v[24];
    if (rs_incarnation() != 1 || !rs_arg("evil", v, sizeof v))
        return;
    uint64_t addr = strtoull(v, 0, 0);
    rs_warn("pointing the device's DMA at %#lx, which is not mine", (unsigned long)addr);
    struct blk_header *h = (struct blk_header *)HEADER;
    *h = (struct blk_header){ VIRTIO_BLK_T_IN, 0, 0 };
    chain(0, VIRTQ_BYTES, sizeof *h, 0, 1);
    chain_at(1, addr, 4096, VIRTQ_DESC_F_WRITE, 1);
    chain(2, VIRTQ_BYTES + sizeof *h, 1, VIRTQ_DESC_F_WRITE, 0);
    virtq_submit(&queue);
    uint32_t used;
    uint64_t e = virtq_wait(&queue, REQUEST_MS, &used);
    /* The device cannot tell: a write the IOMMU refused is dropped, and the device
     * reports the read done. Whether the kernel's page was written shows in the
     * kernel running on (every system call passes through it). */
    rs_info("the device answered %s (status %u); waiting for the kernel's verdict",
            e ? rs_error_name(e) : "the read", *STATUS);
    rs_sleep(1000);                 /* the kernel's DMA fault ends this task first */
    rs_error("DMA ISOLATION NOT ENFORCED: no DMA fault after writing to %#lx",
             (unsigned long)addr);
}

static int start(void *state)
{
    (void)state;
    if (take_device())
        return 1;
    misdirect_dma();
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[BLOCK_LABELS] = {
    [BLOCK_READ] = read_handler, [BLOCK_WRITE] = write_handler, [BLOCK_FLUSH] = flush_handler,
    [BLOCK_SIZE] = size_handler, [BLOCK_STATS] = stats_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "virtio_blk", .publish = "block", .endpoint = EP,
        .handlers = handlers, .nhandlers = BLOCK_LABELS,
        .init_fresh = start, .init_restart = start,
        .session_state = sizeof(struct blk_session), .session_version = 1, .session_pages = 1,
    };
    return rs_server_run(&server);
}
