/* malloc and friends for the C library, over rs_heap: the heap is one frame from
 * the task's own quota, mapped at RS_HEAP_BASE and grown in place (frame grow), so
 * a heap of up to 1 GiB holds one capability slot however often it grows; past
 * that a new frame continues it. Running out of quota is a NULL from malloc,
 * never a crash. */
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
#define FRAME_STEP 512              /* pages one create or grow may add */
#define FRAME_MAX (512 * 512)       /* pages in one frame (the kernel's limit) */

static struct rs_heap heap;
static size_t mapped;
static rs_lock_t heap_lock;
static uint64_t heap_frame;         /* slot of the frame growing now; 0: none yet */
static size_t frame_pages;          /* its pages */

/* A new frame of `pages` pages (at most FRAME_STEP) mapped at `at`: its slot or 0. */
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

/* Adds up to `pages` pages at `at`, the heap's end: grows the current frame, or
 * starts one. Returns how many it added (0: the quota is spent). */
static size_t add_pages(uint64_t at, size_t pages)
{
    size_t k = pages < FRAME_STEP ? pages : FRAME_STEP;
    if (heap_frame && frame_pages < FRAME_MAX) {
        uint64_t total;
        if (k > FRAME_MAX - frame_pages)
            k = FRAME_MAX - frame_pages;
        if (rs_frame_grow(heap_frame, k, &total))
            return 0;
        frame_pages = total;
        return k;
    }
    uint64_t slot = map_frame(at, k);
    if (!slot)
        return 0;
    heap_frame = slot;
    frame_pages = k;
    return k;
}

/* Maps up to `bytes`, rounded up to whole pages, at `end`; returns the bytes
 * added, fewer when the quota runs out part way. */
static size_t heap_grow(void *ctx, void *end, size_t bytes)
{
    (void)ctx;
    size_t pages = (bytes + 4095) / 4096, done = 0, k;
    while (done < pages && (k = add_pages((uint64_t)end + done * 4096, pages - done)))
        done += k;
    mapped += done * 4096;
    return done * 4096;
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

/* malloc's body, under another name: calloc uses it, because GCC turns a call
 * of malloc followed by a memset of the block into a call of calloc, which in
 * calloc itself would recurse until the stack ran out. */
static void *heap_alloc(size_t n)
{
    rs_lock(&heap_lock);
    void *p = rs_heap_alloc(the_heap(), n);
    rs_unlock(&heap_lock);
    if (!p)
        errno = ENOMEM;
    return p;
}

void *malloc(size_t n)
{
    return heap_alloc(n);
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
    void *p = heap_alloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

/* In place when the block can grow into a free neighbour or shrink; else moved. */
void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    rs_lock(&heap_lock);
    int r = rs_heap_resize(the_heap(), p, n);
    size_t old = r == -2 ? 0 : rs_heap_size(p);
    rs_unlock(&heap_lock);
    if (r == 0)
        return p;
    if (r == -2)
        rs_panic("realloc: %p is not a live heap block", p);
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
