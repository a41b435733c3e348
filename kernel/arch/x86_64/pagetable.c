/* 4-level page-table walking, mapping and unmapping (see pagetable.h). */
#include "pagetable.h"

#define PT_ENTRIES 512
#define MAX_PHYS   (1ull << 52)

static unsigned pt_index(uint64_t va, int level)
{
    return (va >> (12 + 9 * level)) & 0x1FF;
}

static uint64_t *table(const struct pt_env *env, uint64_t phys)
{
    return env->phys_to_virt(env->ctx, phys & PTE_ADDR);
}

int pt_canonical(uint64_t va)
{
    uint64_t top = va >> 47;
    return top == 0 || top == 0x1FFFF;
}

/* Walks from the top level down to `stop_level`, creating tables if `create`.
 * Returns the entry at stop_level through *out. E_EXISTS if a large page is in the
 * way, E_NOENT if a table is missing and !create. */
static err_t walk(const struct pt_env *env, uint64_t root, uint64_t va, int stop_level,
                  int create, uint64_t user, uint64_t **out)
{
    uint64_t *t = table(env, root);
    for (int level = 3; level > stop_level; level--) {
        uint64_t *e = &t[pt_index(va, level)];
        if (*e & PTE_P) {
            if (*e & PTE_PS)
                return E_EXISTS;
            *e |= user;
        } else {
            if (!create)
                return E_NOENT;
            uint64_t phys;
            err_t err = env->alloc_table(env->ctx, &phys);
            if (err)
                return err;
            *e = phys | PTE_P | PTE_W | user;
        }
        t = table(env, *e);
    }
    *out = &t[pt_index(va, stop_level)];
    return E_OK;
}

static err_t map_at(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa,
                    uint64_t flags, int level, uint64_t align)
{
    if (va % align || pa % align)
        return E_ALIGN;
    if (!pt_canonical(va) || pa >= MAX_PHYS)
        return E_RANGE;
    uint64_t *e;
    err_t err = walk(env, root, va, level, 1, flags & PTE_U, &e);
    if (err)
        return err;
    if (*e & PTE_P)
        return E_EXISTS;
    *e = pa | (flags & PTE_FLAGS & ~PTE_PS) | PTE_P | (level ? PTE_PS : 0);
    return E_OK;
}

err_t pt_leaf_table(const struct pt_env *env, uint64_t root, uint64_t va, int user,
                    uint64_t **out)
{
    if (va % 0x200000)
        return E_ALIGN;
    if (!pt_canonical(va))
        return E_RANGE;
    uint64_t *e;
    err_t err = walk(env, root, va, 0, 1, user ? PTE_U : 0, &e);
    if (!err)
        *out = e;                   /* entry 0 of the table: va is 2 MiB aligned */
    return err;
}

err_t pt_map(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa,
             uint64_t flags)
{
    return map_at(env, root, va, pa, flags, 0, 4096);
}

err_t pt_map_large(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t pa,
                   uint64_t flags)
{
    return map_at(env, root, va, pa, flags, 1, 0x200000);
}

err_t pt_unmap(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *pa)
{
    if (va % 4096)
        return E_ALIGN;
    if (!pt_canonical(va))
        return E_RANGE;
    uint64_t *e;
    err_t err = walk(env, root, va, 0, 0, 0, &e);
    if (err == E_EXISTS)
        return E_INVAL;     /* inside a large page: not unmappable page by page */
    if (err)
        return err;
    if (!(*e & PTE_P))
        return E_NOENT;
    *pa = *e & PTE_ADDR;
    *e = 0;
    return E_OK;
}

err_t pt_lookup(const struct pt_env *env, uint64_t root, uint64_t va, uint64_t *pa,
                uint64_t *flags)
{
    if (!pt_canonical(va))
        return E_RANGE;
    uint64_t *t = table(env, root);
    for (int level = 3; level >= 0; level--) {
        uint64_t e = t[pt_index(va, level)];
        if (!(e & PTE_P))
            return E_NOENT;
        if (level == 0 || (e & PTE_PS)) {
            uint64_t size = 1ull << (12 + 9 * level);
            *pa = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
            *flags = e & PTE_FLAGS;
            return E_OK;
        }
        t = table(env, e);
    }
    return E_NOENT;
}

static void free_level(const struct pt_env *env, uint64_t phys, int level)
{
    uint64_t *t = table(env, phys);
    for (unsigned i = 0; level > 1 && i < PT_ENTRIES; i++) {
        if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
            free_level(env, t[i] & PTE_ADDR, level - 1);
    }
    env->free_table(env->ctx, phys);
}

void pt_free_tables(const struct pt_env *env, uint64_t root, unsigned first, unsigned last)
{
    uint64_t *top = table(env, root);
    for (unsigned i = first; i < last && i < PT_ENTRIES; i++) {
        if (top[i] & PTE_P)
            free_level(env, top[i] & PTE_ADDR, 3);
        top[i] = 0;
    }
}
