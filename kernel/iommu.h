/* DMA remapping with Intel VT-d (QEMU: -machine q35 -device intel-iommu). When the
 * firmware describes a remapping unit, the kernel turns translation on at boot
 * with an empty root table: from then on a PCI function can reach memory only
 * through its own second-level page table, which holds exactly the frames its
 * driver granted (kernel/dma.c). Without a unit, DMA is not fenced and the boot
 * log says that DMA drivers are trusted. */
#pragma once
#include <stdint.h>
#include "err.h"

/* Finds and enables the unit (or reports that there is none). */
void iommu_init(void);
int iommu_enabled(void);

/* A second-level table hierarchy: its root frame and how many table frames it has
 * (each charged by the caller before it asks for one). */
struct iommu_space {
    uint64_t root;
    unsigned tables;
};

/* Makes the tables for one function: E_NOMEM. */
err_t iommu_space_new(struct iommu_space *s);
/* Maps the 4 KiB page at iova to pa (read and write for the device); E_NOMEM when a
 * table frame is needed and none can be had, E_EXISTS if mapped. *grew: tables
 * added. */
err_t iommu_map(struct iommu_space *s, uint64_t iova, uint64_t pa, unsigned *grew);
void iommu_unmap(struct iommu_space *s, uint64_t iova);
/* Frees every table (nothing may point at them: detach first). */
void iommu_space_free(struct iommu_space *s);

/* Points function bdf at s in domain `domain` (1..), or at nothing (DMA blocked). */
void iommu_attach(uint32_t bdf, uint16_t domain, const struct iommu_space *s);
void iommu_detach(uint32_t bdf);
/* After mappings were removed: the unit forgets any cached translation. */
void iommu_flush(void);

/* A fault's reason (VT-d): the function had no context entry, so no driver's
 * grants were in force (its DMA object was dead, or not made yet). */
#define IOMMU_NO_CONTEXT 2

/* From the timer (and around a function's object's birth and death): reads the
 * fault records, reports each to dma_fault(). */
void iommu_poll(void);
