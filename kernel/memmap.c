/* Sweep-line sanitiser for the boot memory map (see memmap.h). n is small (at most
 * BOOT_MAX_REGIONS), so the quadratic sweep is fine and easy to check. */
#include <stdbool.h>
#include "memmap.h"

#define MAX_POINTS (2 * BOOT_MAX_REGIONS)

/* Higher rank wins an overlap; unknown types count as reserved. */
static int type_rank(uint32_t type)
{
    switch (type) {
    case MEM_AVAILABLE: return 0;
    case MEM_ACPI_RECLAIMABLE: return 1;
    case MEM_NVS: return 2;
    case MEM_BAD: return 4;
    default: return 3;
    }
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case MEM_AVAILABLE: return "available";
    case MEM_ACPI_RECLAIMABLE: return "ACPI reclaimable";
    case MEM_NVS: return "ACPI NVS";
    case MEM_BAD: return "bad";
    default: return "reserved";
    }
}

static uint64_t region_end(const struct mem_region *r, struct memmap_report *rep)
{
    uint64_t end = r->base + r->len;
    if (end < r->base) {
        rep->wrapped++;
        return UINT64_MAX;
    }
    return end;
}

static void sort_points(uint64_t *p, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        uint64_t v = p[i];
        unsigned j = i;
        for (; j > 0 && p[j - 1] > v; j--)
            p[j] = p[j - 1];
        p[j] = v;
    }
}

/* Type covering [a, b) and how many entries cover it; -1 type when none. */
static int64_t cover(const struct mem_region *in, const uint64_t *ends, unsigned n,
                     uint64_t a, unsigned *count)
{
    int64_t best = -1;
    *count = 0;
    for (unsigned i = 0; i < n; i++) {
        if (in[i].len == 0 || a < in[i].base || a >= ends[i])
            continue;
        (*count)++;
        if (best < 0 || type_rank(in[i].type) > type_rank((uint32_t)best))
            best = in[i].type;
    }
    return best;
}

static err_t emit(struct mem_region *out, unsigned max_out, unsigned *nout,
                  uint64_t a, uint64_t b, uint32_t type)
{
    if (*nout && out[*nout - 1].type == type
        && out[*nout - 1].base + out[*nout - 1].len == a) {
        out[*nout - 1].len += b - a;
        return E_OK;
    }
    if (*nout == max_out)
        return E_RANGE;
    out[(*nout)++] = (struct mem_region){ a, b - a, type };
    return E_OK;
}

err_t memmap_sanitize(const struct mem_region *in, unsigned n, struct mem_region *out,
                      unsigned max_out, unsigned *nout, struct memmap_report *rep)
{
    uint64_t points[MAX_POINTS], ends[BOOT_MAX_REGIONS];
    unsigned np = 0;
    *rep = (struct memmap_report){ 0 };
    *nout = 0;
    if (n > BOOT_MAX_REGIONS)
        return E_RANGE;
    for (unsigned i = 0; i < n; i++) {
        if (in[i].len == 0) {
            rep->empty++;
            continue;
        }
        ends[i] = region_end(&in[i], rep);
        if (ends[i] == in[i].base)
            continue;       /* clipping left no byte (base 2^64 - 1): no region, no hole */
        points[np++] = in[i].base;
        points[np++] = ends[i];
    }
    sort_points(points, np);
    bool prev_covered = false, in_overlap = false;
    for (unsigned i = 0; i + 1 < np; i++) {
        uint64_t a = points[i], b = points[i + 1];
        if (a == b)
            continue;
        unsigned count;
        int64_t type = cover(in, ends, n, a, &count);
        if (count > 1 && !in_overlap)
            rep->overlaps++;
        in_overlap = count > 1;
        if (type < 0) {
            if (prev_covered)
                rep->holes++;
            prev_covered = false;
            continue;
        }
        prev_covered = true;
        if (type == MEM_AVAILABLE)
            rep->usable += b - a;
        err_t e = emit(out, max_out, nout, a, b, (uint32_t)type);
        if (e)
            return e;
    }
    return E_OK;
}
