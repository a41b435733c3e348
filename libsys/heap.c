/* First-fit heap allocator (see rs_heap.h). Every block has a 16-byte header with
 * its total size and a tag telling live from free blocks, so bad and double frees
 * are caught instead of corrupting the heap. */
#include "rs_heap.h"

#define TAG_LIVE 0x4C49564542594553ull    /* arbitrary: marks a live block */
#define TAG_FREE 0x4652454542594553ull
#define HEADER sizeof(struct rs_heap_block)
#define MIN_BLOCK (HEADER + RS_HEAP_ALIGN)
#define GROW_MIN (256 * 1024)

struct rs_heap_block {
    size_t size;                    /* whole block, header included */
    union {
        uint64_t tag;
        struct rs_heap_block *next; /* free blocks: next in address order */
    };
};

_Static_assert(sizeof(struct rs_heap_block) == RS_HEAP_ALIGN, "header keeps payloads aligned");

/* A free block stores `next` where a live block stores its tag; its own tag lives
 * in the first payload word (every block has at least one). */
static uint64_t *free_tag(struct rs_heap_block *b) { return (uint64_t *)(b + 1); }

void rs_heap_init(struct rs_heap *h, void *start, size_t (*grow)(void *, void *, size_t),
                  void *ctx)
{
    *h = (struct rs_heap){ .grow = grow, .ctx = ctx, .start = start, .end = start };
}

/* Inserts b into the free list in address order, merging with its neighbours. */
static void insert_free(struct rs_heap *h, struct rs_heap_block *b)
{
    struct rs_heap_block **p = &h->free, *prev = 0;
    while (*p && *p < b) {
        prev = *p;
        p = &(*p)->next;
    }
    b->next = *p;
    *free_tag(b) = TAG_FREE;
    *p = b;
    if (b->next && (uint8_t *)b + b->size == (uint8_t *)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (prev && (uint8_t *)prev + prev->size == (uint8_t *)b) {
        prev->size += b->size;
        prev->next = b->next;
    }
}

static int grow(struct rs_heap *h, size_t need)
{
    size_t want = need < GROW_MIN ? GROW_MIN : need;
    size_t got = h->grow(h->ctx, h->end, want);
    if (got < need && want > need)      /* nearly out: ask for just what is needed */
        got = h->grow(h->ctx, h->end, need);
    if (got < need)
        return -1;
    struct rs_heap_block *b = (struct rs_heap_block *)h->end;
    b->size = got;
    h->end += got;
    insert_free(h, b);
    return 0;
}

/* Takes `size` bytes from free block b (reached through *link). */
static void *carve(struct rs_heap *h, struct rs_heap_block **link, size_t size)
{
    struct rs_heap_block *b = *link;
    if (b->size - size >= MIN_BLOCK) {
        struct rs_heap_block *rest = (struct rs_heap_block *)((uint8_t *)b + size);
        rest->size = b->size - size;
        rest->next = b->next;
        *free_tag(rest) = TAG_FREE;
        *link = rest;
        b->size = size;
    } else {
        *link = b->next;
    }
    b->tag = TAG_LIVE;
    h->in_use += b->size - HEADER;
    return b + 1;
}

void *rs_heap_alloc(struct rs_heap *h, size_t n)
{
    if (n > ((size_t)1 << 40))
        return 0;
    size_t size = (n + HEADER + RS_HEAP_ALIGN - 1) & ~(size_t)(RS_HEAP_ALIGN - 1);
    if (size < MIN_BLOCK)
        size = MIN_BLOCK;
    for (int attempt = 0; attempt < 2; attempt++) {
        for (struct rs_heap_block **p = &h->free; *p; p = &(*p)->next)
            if ((*p)->size >= size)
                return carve(h, p, size);
        if (grow(h, size))
            return 0;
    }
    return 0;
}

int rs_heap_free(struct rs_heap *h, void *p)
{
    if (!p)
        return 0;
    struct rs_heap_block *b = (struct rs_heap_block *)p - 1;
    if ((uint8_t *)b < h->start || (uint8_t *)p >= h->end || (uintptr_t)p % RS_HEAP_ALIGN
        || b->tag != TAG_LIVE)
        return -1;
    h->in_use -= b->size - HEADER;
    insert_free(h, b);
    return 0;
}

size_t rs_heap_size(const void *p)
{
    return ((const struct rs_heap_block *)p - 1)->size - HEADER;
}
