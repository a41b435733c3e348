/* Kernel object allocator: caches of fixed-size objects carved from 4 KiB pages.
 * Pure: pages come from the caller's slab_source, so it runs in host tests. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define SLAB_PAGE 4096
#define SLAB_MAX_OBJECT 1024
#define SLAB_BITMAP_WORDS 4     /* up to 256 objects per slab */

struct slab_source {
    void *ctx;
    void *(*get_page)(void *ctx);               /* page-aligned, or NULL */
    void (*put_page)(void *ctx, void *page);
};

struct slab;

struct slab_cache {
    const char *name;
    size_t obj_size;            /* rounded up to 16 */
    unsigned per_slab;
    struct slab *partial;       /* slabs with free and used objects */
    struct slab *full;
    struct slab *empty;         /* at most one kept for reuse */
    uint64_t in_use;            /* objects handed out */
    uint64_t pages;             /* pages held */
    const struct slab_source *src;
};

/* Sets up a cache for objects of obj_size bytes (1..SLAB_MAX_OBJECT). E_RANGE
 * otherwise. `name` must outlive the cache. */
err_t slab_cache_init(struct slab_cache *c, const char *name, size_t obj_size,
                      const struct slab_source *src);

/* A zeroed object, or NULL when no page can be had. */
void *slab_alloc(struct slab_cache *c);

/* Returns obj to its cache. E_INVAL if obj is not an object of this cache or is
 * already free (nothing changes then). */
err_t slab_free(struct slab_cache *c, void *obj);

/* Gives every completely free page back to the source. */
void slab_shrink(struct slab_cache *c);
