/* Physical frame allocator: one bit per 4 KiB frame, set = in use. Pure: the caller
 * provides the bitmap storage and decides which ranges are usable. */
#pragma once
#include <stdint.h>
#include "err.h"

#define PMM_FRAME 4096ull

struct pmm {
    uint64_t *bitmap;
    uint64_t nframes;       /* frames covered: physical [0, nframes * 4 KiB) */
    uint64_t nfree;
    uint64_t hint;          /* word index where the next search starts */
};

/* Bytes of bitmap needed for nframes frames (a multiple of 8). */
uint64_t pmm_bitmap_bytes(uint64_t nframes);

/* Starts with every frame in use; the caller then releases usable ranges. */
void pmm_init(struct pmm *p, uint64_t *bitmap, uint64_t nframes);

/* Marks the frames wholly inside [base, base+len) free; returns how many changed. */
uint64_t pmm_release_range(struct pmm *p, uint64_t base, uint64_t len);

/* Marks every frame touching [base, base+len) in use; returns how many changed. */
uint64_t pmm_reserve_range(struct pmm *p, uint64_t base, uint64_t len);

/* Allocates one frame and stores its physical address; E_NOMEM when none is free. */
err_t pmm_alloc(struct pmm *p, uint64_t *phys);

/* Allocates n physically contiguous frames; E_NOMEM when no such run is free. */
err_t pmm_alloc_contig(struct pmm *p, uint64_t n, uint64_t *phys);

/* Frees one frame. E_ALIGN if phys is not frame-aligned, E_RANGE if it lies beyond
 * the map, E_INVAL if the frame is already free (a double free changes nothing). */
err_t pmm_free(struct pmm *p, uint64_t phys);

/* Whether the frame holding phys is in use (frames beyond the map count as used). */
int pmm_is_used(const struct pmm *p, uint64_t phys);
