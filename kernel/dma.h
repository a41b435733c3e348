/* DMA capabilities: what one PCI function may reach by DMA. The bus object (made
 * from the platform, held by the PCI server) makes one object per function; the
 * driver of that function grants it DMA frames (dma map), and with an IOMMU the
 * device can then reach those frames and nothing else. The function's object
 * holds a reference on every frame it maps, so a granted frame is never freed
 * (and reused) while the device can still reach it; when the object dies (its
 * driver died, or deleted it) its mappings go and the device is blocked. */
#pragma once
#include <stdint.h>
#include "iommu.h"
#include "object.h"

#define DMA_BUS_BDF    0xFFFFFFFFu  /* the bus object's "function" */
#define DMA_FUNCTIONS  32           /* function objects alive at once */
#define DMA_FRAMES_MAX 16           /* frames one function may have mapped */

struct frame;
struct dma_dev {
    struct kobj obj;
    uint32_t bdf;
    uint16_t domain;                /* IOMMU domain id (index + 1) */
    struct iommu_space space;
    struct frame *frames[DMA_FRAMES_MAX];   /* each referenced */
    uint64_t faults;                /* DMA faults its device made */
};

struct thread;
struct cap;
struct cspace;
err_t dma_bus_create(struct task *owner, struct cspace *cs, uint64_t dst);
void dma_invoke(struct thread *th, struct cap *c, uint64_t op);
void dma_kill(struct dma_dev *d);

/* From iommu_poll: function bdf tried to reach iova (write or read), refused. The
 * task holding its capability faults (RS_FAULT_DMA) when it next runs. */
void dma_fault(uint32_t bdf, uint64_t iova, int write, unsigned reason);

/* Delivers th's task's pending DMA fault as its fault (never returns then); a task
 * that has stopped running since is left as it is. */
void dma_fault_deliver(struct thread *th);
