/* Memory-map sanitising: turns the loader's list (which may have holes, overlaps,
 * empty or wrapping entries) into sorted, disjoint regions. Pure. */
#pragma once
#include "bootinfo.h"

struct memmap_report {
    unsigned overlaps;      /* places where two or more entries covered the same bytes */
    unsigned holes;         /* gaps between entries below the highest address */
    unsigned empty;         /* zero-length entries dropped */
    unsigned wrapped;       /* entries running past 2^64, clipped */
    uint64_t usable;        /* bytes of available memory after sanitising */
};

/* Writes disjoint regions sorted by base into out[0..*nout). Where entries overlap,
 * the more restrictive type wins (any reserved kind beats available). Adjacent
 * regions of one type are merged. E_RANGE if out has too few slots. */
err_t memmap_sanitize(const struct mem_region *in, unsigned n, struct mem_region *out,
                      unsigned max_out, unsigned *nout, struct memmap_report *rep);

/* Human-readable name of a region type. */
const char *memmap_type_name(uint32_t type);
