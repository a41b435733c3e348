/* malloc and friends for the C library, over rs_heap: the heap grows by frames
 * created from the task's own quota and mapped at RS_HEAP_BASE, so running out of
 * quota is a NULL from malloc, never a crash. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rsys.h>
#include <rs_invoke.h>
#include "rs_heap.h"
#include "rs_libc.h"
#include "rs_lock.h"
#include "rs_log.h"

#define RS_HEAP_BASE 0x0000100000000000ull

static struct rs_heap heap;
static size_t mapped;
static rs_lock_t heap_lock;

#define GROW_MAX_FRAMES 128         /* one growth: at most 64 MiB */

/* Maps one frame of `pages` pages (at most 512) at `at`; returns its slot or 0. */
static uint64_t map_frame(uint64_t at, size_t pages)
{
    uint64_t slot = rs_slot_alloc();
    if (!slot)
        return 0;
    if (!rs_create(RS_SLOT_QUOTA, RS_OBJ_FRAME, slot, pages)) {
        if (!rs_frame_map(slot, at, RS_MAP_WRITE))
            return slot;
        rs_cap_delete(slot);
    }
    rs_slot_free(slot);
    return 0;
}

/* Maps `bytes`, rounded up to whole pages, at `end` (rs_heap asks for large
 * chunks first), in frames of at most 512 pages. Returns the bytes added, or 0
 * with nothing left mapped when the quota has no room for all of it. */
static size_t heap_grow(void *ctx, void *end, size_t bytes)
{
    (void)ctx;
    uint64_t slots[GROW_MAX_FRAMES];
    size_t pages = (bytes + 4095) / 4096, done = 0, n = 0;
    if (pages > GROW_MAX_FRAMES * 512)
        return 0;
    while (done < pages) {
        size_t k = pages - done < 512 ? pages - done : 512;
        if (!(slots[n] = map_frame((uint64_t)end + done * 4096, k))) {
            while (n--) {                   /* undo: deleting a frame unmaps it */
                rs_cap_delete(slots[n]);
                rs_slot_free(slots[n]);
            }
            return 0;
        }
        n++;
        done += k;
    }
    mapped += pages * 4096;
    return pages * 4096;
}

static struct rs_heap *the_heap(void)
{
    if (!heap.grow)
        rs_heap_init(&heap, (void *)RS_HEAP_BASE, heap_grow, 0);
    return &heap;
}

void rs_heap_stats(size_t *in_use, size_t *bytes_mapped)
{
    *in_use = the_heap()->in_use;
    *bytes_mapped = mapped;
}

void *malloc(size_t n)
{
    rs_lock(&heap_lock);
    void *p = rs_heap_alloc(the_heap(), n);
    rs_unlock(&heap_lock);
    if (!p)
        errno = ENOMEM;
    return p;
}

void free(void *p)
{
    rs_lock(&heap_lock);
    int bad = rs_heap_free(the_heap(), p);
    rs_unlock(&heap_lock);
    if (bad)
        rs_panic("free: %p is not a live heap block", p);
}

void *calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size) {
        errno = ENOMEM;
        return 0;
    }
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    size_t old = rs_heap_size(p);
    if (n <= old)
        return p;
    void *q = malloc(n);
    if (q) {
        memcpy(q, p, old);
        free(p);
    }
    return q;
}

void *aligned_alloc(size_t align, size_t n)
{
    if (align > RS_HEAP_ALIGN) {
        errno = EINVAL;
        return 0;
    }
    return malloc(n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (align > RS_HEAP_ALIGN || (align & (align - 1)))
        return EINVAL;
    *out = malloc(n);
    return *out ? 0 : ENOMEM;
}

size_t malloc_usable_size(void *p)
{
    return p ? rs_heap_size(p) : 0;
}

/* musl's own internal allocations go through the same heap. */
void *__libc_malloc(size_t n) { return malloc(n); }
void __libc_free(void *p) { free(p); }
void *__libc_calloc(size_t n, size_t size) { return calloc(n, size); }
void *__libc_realloc(void *p, size_t n) { return realloc(p, n); }
