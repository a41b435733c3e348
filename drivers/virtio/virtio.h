/* The virtio 1.x PCI transport ("modern" interface) and one split virtqueue, for
 * Resurgo's virtio drivers. The driver finds the device's configuration
 * structures through its PCI capabilities, maps the BAR that holds them, and
 * keeps its queue in one DMA frame; the device reads and writes only there.
 *
 * Contract: one request in flight at a time (the drivers are synchronous): the
 * caller builds a descriptor chain from descriptor 0, virtq_submit() makes it
 * available and notifies, virtq_wait() polls the used ring for it, bounded. */
#pragma once
#include <stdint.h>

#define VIRTIO_STATUS_ACK        1
#define VIRTIO_STATUS_DRIVER     2
#define VIRTIO_STATUS_DRIVER_OK  4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED     128

#define VIRTIO_F_VERSION_1 (1ull << 32)
/* The device's DMA goes through the platform's IOMMU (QEMU: iommu_platform=on);
 * without it a virtio device reaches memory by physical address, past any IOMMU.
 * Always accepted when offered. */
#define VIRTIO_F_ACCESS_PLATFORM (1ull << 33)

#define VIRTQ_DESC_F_NEXT  1
#define VIRTQ_DESC_F_WRITE 2        /* the device writes this buffer */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

struct virtio_dev {
    volatile uint8_t *common, *notify, *isr, *device;
    uint32_t notify_mult;
};

struct virtq {
    uint16_t size;                  /* entries (a power of two, <= VIRTQ_MAX) */
    uint16_t last_used;             /* the used index we have seen */
    struct virtq_desc *desc;
    volatile uint16_t *avail;       /* flags, idx, ring[size] */
    volatile uint16_t *used;        /* flags, idx, then {id, len} pairs */
    volatile uint16_t *notify_at;
    uint16_t notify_index;          /* written there to notify */
};

#define VIRTQ_MAX 16
/* Bytes of the queue's part of the DMA frame (descriptors, avail, used). */
#define VIRTQ_BYTES 1024

/* Finds the common, notify, ISR and device structures in the opened device's
 * capabilities, maps their BAR at va (slot: the BAR's capability). */
uint64_t virtio_find(struct virtio_dev *v, uint64_t slot, uint64_t va);

/* Resets the device and negotiates: it must offer VIRTIO_F_VERSION_1; the driver
 * takes (`wanted` | VIRTIO_F_ACCESS_PLATFORM) & offered. *got: what was agreed.
 * RS_E_NOSYS if it refuses. */
uint64_t virtio_start(struct virtio_dev *v, uint64_t wanted, uint64_t *got);

/* Sets up queue `index` in the memory at mem (VIRTQ_BYTES, zeroed, bus address
 * bus), interrupts suppressed, and enables it. */
uint64_t virtq_setup(struct virtio_dev *v, struct virtq *q, unsigned index, void *mem,
                     uint64_t bus);

/* Tells the device the driver is ready (after every queue is set up). */
void virtio_ready(struct virtio_dev *v);

/* Makes the chain starting at descriptor 0 available and notifies the device. */
void virtq_submit(struct virtq *q);

/* Waits at most ms for the device to use the chain; RS_E_TIMEOUT otherwise. *len:
 * the bytes it wrote. */
uint64_t virtq_wait(struct virtq *q, uint64_t ms, uint32_t *len);

/* Resets the device (status 0): it stops using every queue. */
void virtio_reset(struct virtio_dev *v);
