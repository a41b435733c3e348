/* The heap allocator behind malloc: first fit over an address-ordered free list
 * with coalescing; memory comes in large chunks from a grow callback (in a task,
 * frames from its quota mapped above the program). Pure: host-testable. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct rs_heap_block;

struct rs_heap {
    /* Maps at least `bytes` more bytes right after the current end; returns how
     * many it added (0: none available). */
    size_t (*grow)(void *ctx, void *end, size_t bytes);
    void *ctx;
    uint8_t *start, *end;           /* the heap's range so far */
    struct rs_heap_block *free;     /* free blocks, address order */
    size_t in_use;                  /* bytes handed out (payloads) */
};

#define RS_HEAP_ALIGN 16

/* Starts an empty heap at `start` (16-byte aligned). */
void rs_heap_init(struct rs_heap *h, void *start,
                  size_t (*grow)(void *, void *, size_t), void *ctx);
/* A block of at least n bytes, 16-byte aligned, or NULL. */
void *rs_heap_alloc(struct rs_heap *h, size_t n);
/* Frees p (NULL is fine). Returns 0, or -1 when p is not a live block (nothing changes). */
int rs_heap_free(struct rs_heap *h, void *p);
/* The usable size of live block p. */
size_t rs_heap_size(const void *p);
