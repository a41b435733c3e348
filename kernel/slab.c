/* Slab allocator (see slab.h). Each page starts with a struct slab header followed
 * by equal-sized objects; a bitmap of allocated objects catches double and wild
 * frees, a free list gives O(1) allocation. */
#include <stdbool.h>
#include "slab.h"

#define SLAB_MAGIC 0x51ABCAFEu

struct slab_free_obj {
    struct slab_free_obj *next;
};

struct slab {
    uint32_t magic;
    uint32_t used;
    struct slab_cache *cache;
    struct slab *next, *prev;
    struct slab_free_obj *free;
    uint64_t allocated[SLAB_BITMAP_WORDS];
};

#define SLAB_HEADER ((sizeof(struct slab) + 15) & ~(size_t)15)

static void list_remove(struct slab **head, struct slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        *head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->next = s->prev = NULL;
}

static void list_push(struct slab **head, struct slab *s)
{
    s->prev = NULL;
    s->next = *head;
    if (*head)
        (*head)->prev = s;
    *head = s;
}

err_t slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size,
                      const struct slab_source *src)
{
    if (obj_size == 0 || obj_size > SLAB_MAX_OBJECT)
        return E_RANGE;
    size_t size = (obj_size + 15) & ~(size_t)15;
    *c = (struct slab_cache){ .name = name, .obj_size = size, .src = src };
    c->per_slab = (unsigned)((SLAB_PAGE - SLAB_HEADER) / size);
    if (c->per_slab > SLAB_BITMAP_WORDS * 64)
        c->per_slab = SLAB_BITMAP_WORDS * 64;
    return E_OK;
}

static struct slab *slab_new(struct slab_cache *c)
{
    struct slab *s = c->src->get_page(c->src->ctx);
    if (!s)
        return NULL;
    *s = (struct slab){ .magic = SLAB_MAGIC, .cache = c };
    uint8_t *base = (uint8_t *)s + SLAB_HEADER;
    for (unsigned i = c->per_slab; i-- > 0;) {
        struct slab_free_obj *o = (void *)(base + i * c->obj_size);
        o->next = s->free;
        s->free = o;
    }
    c->pages++;
    return s;
}

void *slab_alloc(struct slab_cache *c)
{
    struct slab *s = c->partial;
    if (!s && c->empty) {
        s = c->empty;
        list_remove(&c->empty, s);
        list_push(&c->partial, s);
    }
    if (!s) {
        s = slab_new(c);
        if (!s)
            return NULL;
        list_push(&c->partial, s);
    }
    struct slab_free_obj *o = s->free;
    s->free = o->next;
    unsigned idx = (unsigned)(((uint8_t *)o - ((uint8_t *)s + SLAB_HEADER)) / c->obj_size);
    s->allocated[idx / 64] |= 1ull << (idx % 64);
    if (++s->used == c->per_slab) {
        list_remove(&c->partial, s);
        list_push(&c->full, s);
    }
    c->in_use++;
    uint8_t *p = (uint8_t *)o;
    for (size_t i = 0; i < c->obj_size; i++)
        p[i] = 0;
    return o;
}

/* Finds obj's slab and index; false if obj is not a live object of cache c. */
static bool slab_locate(struct slab_cache *c, void *obj, struct slab **sp, unsigned *ip)
{
    struct slab *s = (void *)((uintptr_t)obj & ~(uintptr_t)(SLAB_PAGE - 1));
    if (!obj || s->magic != SLAB_MAGIC || s->cache != c)
        return false;
    uintptr_t off = (uintptr_t)obj - (uintptr_t)s;
    if (off < SLAB_HEADER || (off - SLAB_HEADER) % c->obj_size)
        return false;
    unsigned idx = (unsigned)((off - SLAB_HEADER) / c->obj_size);
    if (idx >= c->per_slab || !(s->allocated[idx / 64] & (1ull << (idx % 64))))
        return false;
    *sp = s;
    *ip = idx;
    return true;
}

err_t slab_free(struct slab_cache *c, void *obj)
{
    struct slab *s;
    unsigned idx;
    if (!slab_locate(c, obj, &s, &idx))
        return E_INVAL;
    s->allocated[idx / 64] &= ~(1ull << (idx % 64));
    struct slab_free_obj *o = obj;
    o->next = s->free;
    s->free = o;
    c->in_use--;
    if (s->used-- == c->per_slab) {
        list_remove(&c->full, s);
        list_push(&c->partial, s);
    }
    if (s->used == 0) {
        list_remove(&c->partial, s);
        if (c->empty) {     /* keep one empty slab, give the rest back */
            s->magic = 0;
            c->src->put_page(c->src->ctx, s);
            c->pages--;
        } else {
            list_push(&c->empty, s);
        }
    }
    return E_OK;
}

void slab_shrink(struct slab_cache *c)
{
    while (c->empty) {
        struct slab *s = c->empty;
        list_remove(&c->empty, s);
        s->magic = 0;
        c->src->put_page(c->src->ctx, s);
        c->pages--;
    }
}
