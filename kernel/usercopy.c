/* User memory access through page-table walks (see usercopy.h). */
#include "kstring.h"
#include "mm.h"
#include "task.h"
#include "usercopy.h"

enum access { READ, WRITE, DEBUG_WRITE };

/* Kernel pointer to user address va in t, with `avail` bytes to the page end. */
static err_t user_page(struct task *t, uint64_t va, enum access how, uint8_t **p,
                       uint64_t *avail)
{
    uint64_t pa, flags;
    if (va >= USER_TOP || pt_lookup(&mm_pt_env, t->pml4, va, &pa, &flags))
        return E_FAULT;
    if (!(flags & PTE_U))
        return E_FAULT;
    if (how == WRITE && !(flags & PTE_W))
        return E_FAULT;
    if (how == DEBUG_WRITE && !(flags & (PTE_W | PTE_IMAGE)))
        return E_FAULT;
    uint64_t page = pa & ~(uint64_t)(PAGE_SIZE - 1);
    if (!mm_is_ram(page, page + PAGE_SIZE))
        return E_FAULT;             /* an MMIO window: not in the direct map */
    *p = phys_to_virt(pa);
    *avail = PAGE_SIZE - (va & (PAGE_SIZE - 1));
    return E_OK;
}

static err_t check_range(uint64_t va, uint64_t n)
{
    return (va + n < va || va + n > USER_TOP) ? E_FAULT : E_OK;
}

err_t user_read(struct task *t, uint64_t src, void *dst, uint64_t n)
{
    uint8_t *out = dst, *p;
    uint64_t avail;
    if (check_range(src, n))
        return E_FAULT;
    while (n) {
        if (user_page(t, src, READ, &p, &avail))
            return E_FAULT;
        uint64_t k = n < avail ? n : avail;
        memcpy(out, p, k);
        out += k, src += k, n -= k;
    }
    return E_OK;
}

err_t user_write(struct task *t, uint64_t dst, const void *src, uint64_t n)
{
    const uint8_t *in = src;
    uint8_t *p;
    uint64_t avail;
    if (check_range(dst, n))
        return E_FAULT;
    while (n) {
        if (user_page(t, dst, WRITE, &p, &avail))
            return E_FAULT;
        uint64_t k = n < avail ? n : avail;
        memcpy(p, in, k);
        in += k, dst += k, n -= k;
    }
    return E_OK;
}

static err_t copy(struct task *dt, uint64_t dst, enum access how, struct task *st,
                  uint64_t src, uint64_t n)
{
    uint8_t *from, *to;
    uint64_t a, b;
    if (check_range(src, n) || check_range(dst, n))
        return E_FAULT;
    while (n) {
        if (user_page(st, src, READ, &from, &a) || user_page(dt, dst, how, &to, &b))
            return E_FAULT;
        uint64_t k = n < a ? n : a;
        k = k < b ? k : b;
        memcpy(to, from, k);
        src += k, dst += k, n -= k;
    }
    return E_OK;
}

err_t user_copy(struct task *dt, uint64_t dst, struct task *st, uint64_t src, uint64_t n)
{
    return copy(dt, dst, WRITE, st, src, n);
}

err_t user_copy_debug(struct task *dt, uint64_t dst, struct task *st, uint64_t src,
                      uint64_t n)
{
    return copy(dt, dst, DEBUG_WRITE, st, src, n);
}
