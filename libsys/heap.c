/* Two-level segregated fit heap (see rs_heap.h). Every block starts with a
 * 16-byte header: its size, a tag that tells live from free blocks (so bad and
 * double frees are caught instead of corrupting the heap), and whether the block
 * before it is free, with that block's size (the boundary tag that makes merging
 * constant time). A free block keeps its class-list links in its payload. The
 * heap ends in a zero-sized live block, the end marker, so every block has a
 * successor to look at. */
#include "rs_heap.h"

#define TAG_MAGIC 0x48454100u           /* arbitrary; the low byte holds the flags */
#define FREE 1u
#define PREV_FREE 2u
#define HEADER sizeof(struct rs_heap_block)
#define MIN_BLOCK (HEADER + sizeof(struct links))
#define SMALL (1u << (RS_HEAP_SL_LOG + 4))  /* below: classes 16 bytes apart */
#define MAX_HEAP ((size_t)1 << 35)      /* keeps every block under 64 GiB */
#define GROW_MIN (256 * 1024)

struct rs_heap_block {
    uint64_t prev_size;                 /* the block before: its bytes, while it is free */
    uint32_t units;                     /* this block in 16-byte units, header included */
    uint32_t tag;                       /* TAG_MAGIC | FREE? | PREV_FREE? */
};

struct links {                          /* the payload of a free block */
    struct rs_heap_block *next, *prev;
};

_Static_assert(sizeof(struct rs_heap_block) == RS_HEAP_ALIGN, "header keeps payloads aligned");

static struct links *links(struct rs_heap_block *b) { return (struct links *)(b + 1); }
static size_t bsize(const struct rs_heap_block *b) { return (size_t)b->units * 16; }
static int is_free(const struct rs_heap_block *b) { return b->tag & FREE; }
static int fls64(uint64_t x) { return 63 - __builtin_clzll(x); }

static struct rs_heap_block *after(struct rs_heap_block *b)
{
    return (struct rs_heap_block *)((uint8_t *)b + bsize(b));
}

/* The class whose list holds free blocks of `size` bytes. */
static void class_of(size_t size, int *fl, int *sl)
{
    if (size < SMALL) {
        *fl = 0;
        *sl = (int)(size >> 4);
        return;
    }
    int f = fls64(size);
    *fl = f - (RS_HEAP_SL_LOG + 3);
    *sl = (int)(size >> (f - RS_HEAP_SL_LOG)) & (RS_HEAP_SL - 1);
}

/* `size` rounded up to the start of the next class: every block in that class or
 * above holds at least `size` bytes. */
static size_t fit_size(size_t size)
{
    return size < SMALL ? size : size + ((size_t)1 << (fls64(size) - RS_HEAP_SL_LOG)) - 1;
}

static void list_add(struct rs_heap *h, struct rs_heap_block *b)
{
    int fl, sl;
    class_of(bsize(b), &fl, &sl);
    struct rs_heap_block *head = h->lists[fl][sl];
    links(b)->next = head;
    links(b)->prev = 0;
    if (head)
        links(head)->prev = b;
    h->lists[fl][sl] = b;
    h->sl_map[fl] |= (uint16_t)(1u << sl);
    h->fl_map |= 1u << fl;
}

static void list_del(struct rs_heap *h, struct rs_heap_block *b)
{
    int fl, sl;
    class_of(bsize(b), &fl, &sl);
    struct links *l = links(b);
    if (l->next)
        links(l->next)->prev = l->prev;
    if (l->prev)
        links(l->prev)->next = l->next;
    else
        h->lists[fl][sl] = l->next;
    if (!h->lists[fl][sl] && !(h->sl_map[fl] &= (uint16_t)~(1u << sl)))
        h->fl_map &= ~(1u << fl);
}

/* A free block of at least `size` bytes, still on its list, or NULL. */
static struct rs_heap_block *find_fit(struct rs_heap *h, size_t size)
{
    int fl, sl;
    class_of(fit_size(size), &fl, &sl);
    if (fl >= RS_HEAP_FL)
        return 0;
    uint32_t row = h->sl_map[fl] & (~0u << sl);
    if (!row) {
        uint32_t rows = fl + 1 < RS_HEAP_FL ? h->fl_map & (~0u << (fl + 1)) : 0;
        if (!rows)
            return 0;
        fl = __builtin_ctz(rows);
        row = h->sl_map[fl];
    }
    return h->lists[fl][__builtin_ctz(row)];
}

/* Puts b (off every list) on its list as free, telling its successor. */
static void make_free(struct rs_heap *h, struct rs_heap_block *b)
{
    b->tag |= FREE;
    list_add(h, b);
    struct rs_heap_block *n = after(b);
    n->tag |= PREV_FREE;
    n->prev_size = bsize(b);
}

/* Joins b (not on any list) with its free neighbours; returns the joined block. */
static struct rs_heap_block *merge(struct rs_heap *h, struct rs_heap_block *b)
{
    struct rs_heap_block *n = after(b);
    if (is_free(n)) {
        list_del(h, n);
        b->units += n->units;
    }
    if (b->tag & PREV_FREE) {
        struct rs_heap_block *p = (struct rs_heap_block *)((uint8_t *)b - b->prev_size);
        list_del(h, p);
        p->units += b->units;
        b = p;
    }
    return b;
}

/* Cuts live block b down to `size` bytes when the rest makes a block of its own. */
static void split(struct rs_heap *h, struct rs_heap_block *b, size_t size)
{
    if (bsize(b) - size < MIN_BLOCK)
        return;
    struct rs_heap_block *rest = (struct rs_heap_block *)((uint8_t *)b + size);
    rest->units = (uint32_t)((bsize(b) - size) / 16);
    rest->tag = TAG_MAGIC;
    b->units = (uint32_t)(size / 16);
    make_free(h, merge(h, rest));
}

/* Adds the `got` bytes just mapped at h->end as a free block. */
static void add_range(struct rs_heap *h, size_t got)
{
    struct rs_heap_block *b, *marker;
    if (got < MIN_BLOCK + HEADER || got % 16)
        return;                     /* the callback broke its contract: nothing to use */
    if (h->end == h->start) {
        b = (struct rs_heap_block *)h->start;
        *b = (struct rs_heap_block){ .units = (uint32_t)((got - HEADER) / 16), .tag = TAG_MAGIC };
    } else {
        b = (struct rs_heap_block *)(h->end - HEADER);  /* the old end marker */
        b->units = (uint32_t)(got / 16);
        b->tag = TAG_MAGIC | (b->tag & PREV_FREE);
    }
    h->end += got;
    marker = (struct rs_heap_block *)(h->end - HEADER);
    *marker = (struct rs_heap_block){ .tag = TAG_MAGIC };
    make_free(h, merge(h, b));
}

/* Maps enough for a block of `size` bytes: a large piece, or just what is needed
 * when memory is nearly out. */
static void grow(struct rs_heap *h, size_t size)
{
    size_t need = (fit_size(size) + HEADER + 15) & ~(size_t)15;
    size_t want = need < GROW_MIN ? GROW_MIN : need;
    if ((size_t)(h->end - h->start) + want > MAX_HEAP)
        return;
    size_t got = h->grow(h->ctx, h->end, want);
    if (got < need) {
        add_range(h, got);
        got = h->grow(h->ctx, h->end, need);
    }
    add_range(h, got);
}

void rs_heap_init(struct rs_heap *h, void *start, size_t (*grow_fn)(void *, void *, size_t),
                  void *ctx)
{
    *h = (struct rs_heap){ .grow = grow_fn, .ctx = ctx, .start = start, .end = start };
}

/* The block size that serves a request of n bytes, or 0 when none could. */
static size_t block_for(size_t n)
{
    if (n > MAX_HEAP)
        return 0;
    size_t size = (n + HEADER + RS_HEAP_ALIGN - 1) & ~(size_t)(RS_HEAP_ALIGN - 1);
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

void *rs_heap_alloc(struct rs_heap *h, size_t n)
{
    size_t size = block_for(n);
    if (!size)
        return 0;
    struct rs_heap_block *b = find_fit(h, size);
    if (!b) {
        grow(h, size);
        b = find_fit(h, size);
    }
    if (!b)
        return 0;
    list_del(h, b);
    b->tag &= ~FREE;
    after(b)->tag &= ~PREV_FREE;
    split(h, b, size);
    h->in_use += bsize(b) - HEADER;
    return b + 1;
}

/* p's block when p is a live block of this heap, else NULL. */
static struct rs_heap_block *live_block(const struct rs_heap *h, const void *p)
{
    const uint8_t *q = p;
    if (q < h->start + HEADER || q >= h->end || (uintptr_t)q % RS_HEAP_ALIGN)
        return 0;
    struct rs_heap_block *b = (struct rs_heap_block *)q - 1;
    if ((b->tag & ~PREV_FREE) != TAG_MAGIC || bsize(b) < MIN_BLOCK
        || bsize(b) > (size_t)(h->end - HEADER - (uint8_t *)b))
        return 0;
    return b;
}

int rs_heap_free(struct rs_heap *h, void *p)
{
    if (!p)
        return 0;
    struct rs_heap_block *b = live_block(h, p);
    if (!b)
        return -1;
    h->in_use -= bsize(b) - HEADER;
    make_free(h, merge(h, b));
    return 0;
}

int rs_heap_resize(struct rs_heap *h, void *p, size_t n)
{
    struct rs_heap_block *b = live_block(h, p);
    size_t size = block_for(n);
    if (!b)
        return -2;
    if (!size)
        return -1;
    size_t old = bsize(b);
    if (size > old) {
        struct rs_heap_block *next = after(b);
        if (!is_free(next) || old + bsize(next) < size)
            return -1;
        list_del(h, next);
        b->units += next->units;
        after(b)->tag &= ~PREV_FREE;
    }
    split(h, b, size);
    h->in_use += bsize(b) - old;    /* modulo 2^64: a shrink subtracts */
    return 0;
}

size_t rs_heap_size(const void *p)
{
    return bsize((const struct rs_heap_block *)p - 1) - HEADER;
}

/* Whether free block b is on the list its size says. */
static int listed(const struct rs_heap *h, struct rs_heap_block *b)
{
    int fl, sl;
    class_of(bsize(b), &fl, &sl);
    for (struct rs_heap_block *x = h->lists[fl][sl]; x; x = links(x)->next)
        if (x == b)
            return 1;
    return 0;
}

int rs_heap_check(const struct rs_heap *h)
{
    int bad = 0, prev_free = 0;
    size_t in_use = 0, prev = 0;
    if (h->end == h->start)
        return h->in_use != 0;
    struct rs_heap_block *b = (struct rs_heap_block *)h->start;
    while (b->units) {
        bad += (b->tag & ~(FREE | PREV_FREE)) != TAG_MAGIC || bsize(b) < MIN_BLOCK;
        bad += !!(b->tag & PREV_FREE) != prev_free || (prev_free && b->prev_size != prev);
        bad += prev_free && is_free(b);             /* two free neighbours: a lost merge */
        if (is_free(b))
            bad += !listed(h, b);
        else
            in_use += bsize(b) - HEADER;
        prev_free = is_free(b);
        prev = bsize(b);
        if (bad || bsize(b) > (size_t)(h->end - HEADER - (uint8_t *)b))
            return bad + 1;
        b = after(b);
    }
    bad += (uint8_t *)b != h->end - HEADER || b->tag != (TAG_MAGIC | (prev_free ? PREV_FREE : 0));
    return bad + (in_use != h->in_use);
}
