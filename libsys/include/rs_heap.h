/* The heap allocator behind malloc: a two-level segregated fit (TLSF, Masmano et
 * al., ECRTS 2004). Free blocks sit in size-class lists found through two bitmaps,
 * so allocation and free take constant time however many blocks there are, and a
 * freed block merges with free neighbours at once (boundary tags). Memory comes in
 * large contiguous pieces from a grow callback (in a task, frame pages from its
 * quota mapped above the program). Pure: host-testable. */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct rs_heap_block;

#define RS_HEAP_ALIGN 16
#define RS_HEAP_SL_LOG 4                        /* 16 second-level classes per power of two */
#define RS_HEAP_SL (1 << RS_HEAP_SL_LOG)
#define RS_HEAP_FL 29                           /* first-level classes: blocks below 64 GiB */

struct rs_heap {
    /* Maps up to `bytes` more bytes right after the current end; returns how many
     * it added, a multiple of 16 (0: none available). */
    size_t (*grow)(void *ctx, void *end, size_t bytes);
    void *ctx;
    uint8_t *start, *end;           /* the heap's range so far (its last 16 bytes: the
                                     * end marker) */
    size_t in_use;                  /* bytes handed out (usable sizes) */
    uint32_t fl_map;                /* bit f: some list in row f is not empty */
    uint16_t sl_map[RS_HEAP_FL];    /* bit s of row f: lists[f][s] is not empty */
    struct rs_heap_block *lists[RS_HEAP_FL][RS_HEAP_SL];
};

/* Starts an empty heap at `start` (16-byte aligned). */
void rs_heap_init(struct rs_heap *h, void *start,
                  size_t (*grow)(void *, void *, size_t), void *ctx);
/* A block of at least n bytes, 16-byte aligned, or NULL. */
void *rs_heap_alloc(struct rs_heap *h, size_t n);
/* Frees p (NULL is fine). Returns 0, or -1 when p is not a live block (nothing changes). */
int rs_heap_free(struct rs_heap *h, void *p);
/* Makes live block p at least n bytes long where it lies, growing into a free
 * neighbour or giving back its tail. Returns 0; -1 when it would have to move
 * (or n is too large for any block), -2 when p is not a live block (nothing
 * changes). */
int rs_heap_resize(struct rs_heap *h, void *p, size_t n);
/* The usable size of live block p. */
size_t rs_heap_size(const void *p);
/* Walks every block checking the heap's invariants (tags, sizes, boundary tags,
 * the class lists and in_use); 0 when they hold, else the number that failed. */
int rs_heap_check(const struct rs_heap *h);
