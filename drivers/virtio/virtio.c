/* The virtio 1.x PCI transport and split virtqueue (see virtio.h). Offsets are
 * those of the specification's struct virtio_pci_common_cfg and virtio_pci_cap. */
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_io.h>
#include <rs_pci.h>
#include <rs_server.h>
#include <rsys.h>
#include "virtio.h"

#define CAP_VENDOR 0x09
enum { CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_ISR = 3, CFG_DEVICE = 4 };

/* struct virtio_pci_common_cfg */
#define C_DFSELECT 0x00
#define C_DF       0x04
#define C_GFSELECT 0x08
#define C_GF       0x0C
#define C_STATUS   0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE   0x18
#define C_Q_ENABLE 0x1C
#define C_Q_NOFF   0x1E
#define C_Q_DESC   0x20
#define C_Q_DRIVER 0x28
#define C_Q_DEVICE 0x30

#define RESET_WAIT_MS 100

/* One virtio capability: which structure, in which BAR, where. */
struct vcap {
    uint8_t type, bar;
    uint32_t offset, length, mult;
};

static uint64_t read_cap(uint8_t at, struct vcap *c)
{
    uint32_t w0 = 0, off = 0, len = 0, mult = 0;
    uint64_t e = rs_pci_config_read(at, 4, &w0);
    if (!e)
        e = rs_pci_config_read((uint8_t)(at + 8), 4, &off);
    if (!e)
        e = rs_pci_config_read((uint8_t)(at + 12), 4, &len);
    c->type = (uint8_t)(w0 >> 24);
    if (!e && c->type == CFG_NOTIFY)
        e = rs_pci_config_read((uint8_t)(at + 16), 4, &mult);
    uint32_t bar = 0;
    if (!e)
        e = rs_pci_config_read((uint8_t)(at + 4), 1, &bar);
    c->bar = (uint8_t)bar;
    c->offset = off, c->length = len, c->mult = mult;
    return e;
}

uint64_t virtio_find(struct virtio_dev *v, uint64_t slot, uint64_t va)
{
    struct vcap caps[5] = { 0 };
    int bar = -1;
    for (uint8_t at = rs_pci_find_cap(CAP_VENDOR, 0); at; at = rs_pci_find_cap(CAP_VENDOR, at)) {
        struct vcap c;
        if (read_cap(at, &c))
            return RS_E_FORMAT;
        if (c.type >= CFG_COMMON && c.type <= CFG_DEVICE && !caps[c.type].type)
            caps[c.type] = c;
    }
    for (unsigned t = CFG_COMMON; t <= CFG_DEVICE; t++) {
        if (!caps[t].type || (bar >= 0 && caps[t].bar != bar))
            return RS_E_FORMAT;     /* missing, or not all in one BAR */
        bar = caps[t].bar;
    }
    volatile uint8_t *regs;
    uint64_t size = 0;
    uint64_t e = rs_pci_map_bar((unsigned)bar, slot, va, &regs, &size);
    for (unsigned t = CFG_COMMON; !e && t <= CFG_DEVICE; t++)
        if ((uint64_t)caps[t].offset + caps[t].length > size)
            e = RS_E_RANGE;         /* a structure beyond its BAR */
    if (e) {
        rs_warn("virtio: BAR %d: %s", bar, rs_error_name(e));
        return e;
    }
    v->common = regs + caps[CFG_COMMON].offset;
    v->notify = regs + caps[CFG_NOTIFY].offset;
    v->isr = regs + caps[CFG_ISR].offset;
    v->device = regs + caps[CFG_DEVICE].offset;
    v->notify_mult = caps[CFG_NOTIFY].mult;
    return 0;
}

void virtio_reset(struct virtio_dev *v)
{
    mmio_write8(v->common + C_STATUS, 0);
    uint64_t until = rs_time_ms() + RESET_WAIT_MS;
    while (mmio_read8(v->common + C_STATUS) != 0 && rs_time_ms() < until)
        rs_yield();
}

uint64_t virtio_start(struct virtio_dev *v, uint64_t wanted, uint64_t *got)
{
    virtio_reset(v);
    if (mmio_read8(v->common + C_STATUS) != 0)
        return RS_E_TIMEOUT;
    mmio_write8(v->common + C_STATUS, VIRTIO_STATUS_ACK);
    mmio_write8(v->common + C_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
    uint64_t offered = 0;
    for (uint32_t half = 0; half < 2; half++) {
        mmio_write32(v->common + C_DFSELECT, half);
        offered |= (uint64_t)mmio_read32(v->common + C_DF) << (32 * half);
    }
    uint64_t agreed = offered & (wanted | VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM);
    if (!(agreed & VIRTIO_F_VERSION_1))
        return RS_E_NOSYS;          /* a legacy-only device */
    for (uint32_t half = 0; half < 2; half++) {
        mmio_write32(v->common + C_GFSELECT, half);
        mmio_write32(v->common + C_GF, (uint32_t)(agreed >> (32 * half)));
    }
    uint8_t s = VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
    mmio_write8(v->common + C_STATUS, s);
    if (!(mmio_read8(v->common + C_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        return RS_E_NOSYS;
    *got = agreed;
    return 0;
}

uint64_t virtq_setup(struct virtio_dev *v, struct virtq *q, unsigned index, void *mem,
                     uint64_t bus)
{
    mmio_write16(v->common + C_Q_SELECT, (uint16_t)index);
    uint16_t max = mmio_read16(v->common + C_Q_SIZE);
    if (max == 0)
        return RS_E_NOENT;
    uint16_t size = VIRTQ_MAX;
    while (size > max)
        size /= 2;                  /* max need not be a power of two: stay one */
    mmio_write16(v->common + C_Q_SIZE, size);
    q->size = size;
    q->last_used = 0;
    q->desc = mem;
    q->avail = (volatile uint16_t *)((uint8_t *)mem + 16 * VIRTQ_MAX);
    q->used = (volatile uint16_t *)((uint8_t *)mem + 512);
    q->avail[0] = VIRTQ_AVAIL_F_NO_INTERRUPT;  /* the driver polls */
    mmio_write64(v->common + C_Q_DESC, bus);
    mmio_write64(v->common + C_Q_DRIVER, bus + 16 * VIRTQ_MAX);
    mmio_write64(v->common + C_Q_DEVICE, bus + 512);
    uint16_t noff = mmio_read16(v->common + C_Q_NOFF);
    q->notify_at = (volatile uint16_t *)(v->notify + (uint32_t)noff * v->notify_mult);
    mmio_write16(v->common + C_Q_ENABLE, 1);
    q->notify_index = (uint16_t)index;
    return 0;
}

void virtio_ready(struct virtio_dev *v)
{
    mmio_write8(v->common + C_STATUS, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER
                                      | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

void virtq_submit(struct virtq *q)
{
    uint16_t idx = q->avail[1];
    q->avail[2 + idx % q->size] = 0;    /* the chain's head: descriptor 0 */
    io_barrier();
    q->avail[1] = (uint16_t)(idx + 1);
    io_barrier();
    mmio_write16(q->notify_at, q->notify_index);
}

uint64_t virtq_wait(struct virtq *q, uint64_t ms, uint32_t *len)
{
    uint64_t until = rs_time_ms() + ms;
    while (q->used[1] == q->last_used) {
        if (rs_time_ms() >= until)
            return RS_E_TIMEOUT;
        rs_server_alive();          /* bounded by ms: a dead device still times out */
        rs_yield();
    }
    io_barrier();
    const volatile uint32_t *elem = (const volatile uint32_t *)(q->used + 2)
                                    + 2 * (q->last_used % q->size);
    *len = elem[1];
    q->last_used++;
    return elem[0] == 0 ? 0 : RS_E_FORMAT;   /* the device used a chain we never gave */
}
