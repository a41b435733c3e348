/* Bitmap frame allocator (see pmm.h). Searches a word at a time from a rotating hint. */
#include "pmm.h"

static int bit_get(const struct pmm *p, uint64_t f)
{
    return (p->bitmap[f / 64] >> (f % 64)) & 1;
}

static void bit_set(struct pmm *p, uint64_t f)
{
    p->bitmap[f / 64] |= 1ull << (f % 64);
}

static void bit_clear(struct pmm *p, uint64_t f)
{
    p->bitmap[f / 64] &= ~(1ull << (f % 64));
}

uint64_t pmm_bitmap_bytes(uint64_t nframes)
{
    return (nframes + 63) / 64 * 8;
}

void pmm_init(struct pmm *p, uint64_t *bitmap, uint64_t nframes)
{
    p->bitmap = bitmap;
    p->nframes = nframes;
    p->nfree = 0;
    p->hint = 0;
    for (uint64_t w = 0; w < (nframes + 63) / 64; w++)
        bitmap[w] = ~0ull;
}

uint64_t pmm_release_range(struct pmm *p, uint64_t base, uint64_t len)
{
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    uint64_t first = (base + PMM_FRAME - 1) / PMM_FRAME, last = end / PMM_FRAME;
    if (base > UINT64_MAX - PMM_FRAME)
        return 0;
    if (last > p->nframes)
        last = p->nframes;
    uint64_t changed = 0;
    for (uint64_t f = first; f < last; f++) {
        if (bit_get(p, f)) {
            bit_clear(p, f);
            changed++;
        }
    }
    p->nfree += changed;
    return changed;
}

uint64_t pmm_reserve_range(struct pmm *p, uint64_t base, uint64_t len)
{
    if (len == 0)
        return 0;
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    uint64_t first = base / PMM_FRAME, last = (end - 1) / PMM_FRAME + 1;
    if (last > p->nframes)
        last = p->nframes;
    uint64_t changed = 0;
    for (uint64_t f = first; f < last; f++) {
        if (!bit_get(p, f)) {
            bit_set(p, f);
            changed++;
        }
    }
    p->nfree -= changed;
    return changed;
}

err_t pmm_alloc(struct pmm *p, uint64_t *phys)
{
    uint64_t words = (p->nframes + 63) / 64;
    if (p->nfree == 0 || words == 0)
        return E_NOMEM;
    for (uint64_t i = 0; i < words; i++) {
        uint64_t w = (p->hint + i) % words;
        if (p->bitmap[w] == ~0ull)
            continue;
        uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(~p->bitmap[w]);
        if (f >= p->nframes)
            continue;
        bit_set(p, f);
        p->nfree--;
        p->hint = w;
        *phys = f * PMM_FRAME;
        return E_OK;
    }
    return E_NOMEM;
}

err_t pmm_alloc_contig(struct pmm *p, uint64_t n, uint64_t *phys)
{
    if (n == 0 || n > p->nfree)
        return E_NOMEM;
    uint64_t run = 0;
    for (uint64_t f = 0; f < p->nframes; f++) {
        run = bit_get(p, f) ? 0 : run + 1;
        if (run < n)
            continue;
        uint64_t first = f + 1 - n;
        for (uint64_t g = first; g <= f; g++)
            bit_set(p, g);
        p->nfree -= n;
        *phys = first * PMM_FRAME;
        return E_OK;
    }
    return E_NOMEM;
}

err_t pmm_free(struct pmm *p, uint64_t phys)
{
    if (phys % PMM_FRAME)
        return E_ALIGN;
    uint64_t f = phys / PMM_FRAME;
    if (f >= p->nframes)
        return E_RANGE;
    if (!bit_get(p, f))
        return E_INVAL;
    bit_clear(p, f);
    p->nfree++;
    return E_OK;
}

int pmm_is_used(const struct pmm *p, uint64_t phys)
{
    uint64_t f = phys / PMM_FRAME;
    return f >= p->nframes || bit_get(p, f);
}
