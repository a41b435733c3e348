/* Frames: RAM pages or MMIO windows that tasks map through capabilities. A frame
 * capability maps at most one place; the mapping ends with the capability. The
 * pages are freed when the last reference to the frame goes. A RAM frame can
 * grow (a heap): past one list page of page addresses it keeps a page of list
 * pointers, so a 1 GiB frame costs 513 list pages, all charged to its quota. */
#include "hw.h"
#include "uapi/resurgo/ops.h"
#include "kstring.h"
#include "mm.h"
#include "quota.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86_64/cpu.h"

/* Where RAM frame f keeps the physical address of its page i. */
static uint64_t *page_slot(const struct frame *f, uint64_t i)
{
    return f->lists ? &f->lists[i / FRAME_LIST][i % FRAME_LIST] : &f->pages[i];
}

uint64_t frame_page(const struct frame *f, uint64_t i)
{
    return f->device ? f->device_base + i * PAGE_SIZE : *page_slot(f, i);
}

/* A frame object without pages yet; extra: bytes charged for its pages (0: a
 * device window, which has none of RAM and may be as large as a bus's hole). */
static err_t frame_shell(struct quota *q, struct task *owner, uint64_t npages,
                         uint32_t extra, struct frame **out)
{
    if (npages == 0 || npages > (extra ? FRAME_MAX_PAGES : RS_MMIO_MAX_PAGES))
        return E_RANGE;
    struct kobj *o;
    err_t e = kobj_create(RS_OBJ_FRAME, owner, q, extra, &o);
    if (e)
        return e;
    *out = (struct frame *)o;
    (*out)->npages = (uint32_t)npages;
    return E_OK;
}

err_t frame_new(struct quota *q, struct task *owner, uint64_t npages, struct frame **out)
{
    struct frame *f;
    err_t e = frame_shell(q, owner, npages, (uint32_t)(npages + 1) * PAGE_SIZE, &f);
    if (e)
        return e;
    uint64_t list;
    if (frame_alloc(&list)) {
        kobj_kill(&f->obj);
        return E_NOMEM;
    }
    f->pages = phys_to_virt(list);
    for (uint64_t i = 0; i < npages; i++) {
        if (frame_alloc(&f->pages[i])) {
            kobj_kill(&f->obj);     /* release frees the pages allocated so far */
            return E_NOMEM;
        }
    }
    *out = f;
    return E_OK;
}

void frame_release(struct frame *f)
{
    if (f->device || !f->pages)
        return;
    for (uint64_t i = 0; i < f->npages && *page_slot(f, i); i++)
        frame_free(*page_slot(f, i));
    if (!f->lists) {
        frame_free(virt_to_phys(f->pages));
        return;
    }
    for (uint32_t j = 0; j < f->nlists; j++)
        frame_free(virt_to_phys(f->lists[j]));
    frame_free(virt_to_phys(f->lists));
}

/* A zeroed kernel page for f's lists, charged to f's quota. */
static err_t list_page(struct frame *f, void **out)
{
    uint64_t phys;
    err_t e = kobj_charge_more(&f->obj, PAGE_SIZE);
    if (e)
        return e;
    if (frame_alloc(&phys)) {
        kobj_charge_less(&f->obj, PAGE_SIZE);
        return E_NOMEM;
    }
    *out = phys_to_virt(phys);
    return E_OK;
}

/* List pages (the pointer page included) f needs to hold `total` pages. */
static uint64_t lists_needed(const struct frame *f, uint64_t total)
{
    if (total <= FRAME_LIST)
        return 0;
    uint64_t want = (total + FRAME_LIST - 1) / FRAME_LIST;
    return f->lists ? want - f->nlists : want;  /* the pointer page, want - 1 lists */
}

/* Makes room in f's lists for `total` pages; what it adds is kept on failure. */
static err_t lists_reserve(struct frame *f, uint64_t total)
{
    void *page;
    if (total <= FRAME_LIST)
        return E_OK;
    if (!f->lists) {
        err_t e = list_page(f, &page);
        if (e)
            return e;
        f->lists = page;
        f->lists[0] = f->pages;
        f->nlists = 1;
    }
    while ((uint64_t)f->nlists * FRAME_LIST < total) {
        err_t e = list_page(f, &page);
        if (e)
            return e;
        f->lists[f->nlists++] = page;
    }
    return E_OK;
}

/* Whether a new mapping in `mode` keeps W^X for f. */
static err_t wx_ok(const struct frame *f, unsigned mode)
{
    if ((mode & RS_MAP_WRITE) && (mode & RS_MAP_EXEC))
        return E_INVAL;
    if (((mode & RS_MAP_WRITE) && f->xmaps) || ((mode & RS_MAP_EXEC) && f->wmaps))
        return E_BUSY;
    return E_OK;
}

static void wx_count(struct frame *f, unsigned mode, int delta)
{
    if (mode & RS_MAP_WRITE)
        f->wmaps += (uint32_t)delta;
    if (mode & RS_MAP_EXEC)
        f->xmaps += (uint32_t)delta;
}

static uint64_t pte_flags_for(const struct frame *f, unsigned mode)
{
    return ((mode & RS_MAP_WRITE) ? PTE_W : 0) | ((mode & RS_MAP_EXEC) ? 0 : mm_nx())
           | ((mode & FRAME_MAP_IMAGE) ? PTE_IMAGE : 0) | (f->device ? PTE_PCD | PTE_PWT : 0)
           | PTE_U;
}

/* Maps f's pages [from, to) into t with the first of them at va, into free
 * addresses only; rolls back on failure. */
static err_t map_pages(struct frame *f, struct task *t, uint64_t va, uint64_t from,
                       uint64_t to, unsigned mode)
{
    uint64_t end = va + (to - from) * PAGE_SIZE, pa, fl;
    if (va < PAGE_SIZE || end > USER_TOP || end < va)
        return E_RANGE;
    if (va < RS_SESSION_WINDOW + RS_SESSION_WINDOW_SPAN && end > RS_SESSION_WINDOW)
        return E_RANGE;             /* the session window is the kernel's to map */
    struct pt_env env = task_pt_env(t);
    for (uint64_t a = va; a < end; a += PAGE_SIZE)
        if (!pt_lookup(&env, t->pml4, a, &pa, &fl))
            return E_EXISTS;
    for (uint64_t i = from; i < to; i++) {
        err_t e = pt_map(&env, t->pml4, va + (i - from) * PAGE_SIZE, frame_page(f, i),
                         pte_flags_for(f, mode));
        if (e) {
            for (uint64_t a = va; a < va + (i - from) * PAGE_SIZE; a += PAGE_SIZE)
                pt_unmap(&env, t->pml4, a, &pa);
            return e;
        }
    }
    return E_OK;
}

err_t frame_map(struct frame *f, struct task *t, uint64_t va, unsigned mode)
{
    err_t e = wx_ok(f, mode);
    if (e)
        return e;
    if (va % PAGE_SIZE)
        return E_ALIGN;
    e = map_pages(f, t, va, 0, f->npages, mode);
    if (!e)
        wx_count(f, mode, 1);
    return e;
}

/* Whether a capability of f other than c is mapped. */
static int mapped_elsewhere(const struct frame *f, const struct cap *c)
{
    for (const struct cap *x = f->obj.caps; x; x = x->onext)
        if (x != c && x->mapped_at)
            return 1;
    return 0;
}

err_t frame_grow(struct frame *f, struct cap *c, uint64_t add)
{
    uint64_t old = f->npages, total = old + add;
    if (f->device)
        return E_INVAL;
    if (add == 0 || add > FRAME_MAX_PAGES || total > FRAME_GROW_MAX)
        return E_RANGE;
    if (mapped_elsewhere(f, c))
        return E_BUSY;
    struct quota *q = f->obj.charged;
    if (q && (add + lists_needed(f, total)) * PAGE_SIZE > q->limit - q->used)
        return E_QUOTA;             /* checked whole first: a refusal changes nothing */
    err_t e = lists_reserve(f, total);
    if (!e)
        e = kobj_charge_more(&f->obj, add * PAGE_SIZE);
    if (e)
        return e;
    for (uint64_t i = old; i < total && !e; i++)
        e = frame_alloc(page_slot(f, i));
    if (!e && c->mapped_at)
        e = map_pages(f, c->cs->task, c->mapped_at + old * PAGE_SIZE, old, total, c->map_mode);
    if (e) {
        for (uint64_t j = old; j < total; j++) {
            if (*page_slot(f, j))
                frame_free(*page_slot(f, j));
            *page_slot(f, j) = 0;
        }
        kobj_charge_less(&f->obj, add * PAGE_SIZE);
        return e;
    }
    f->npages = (uint32_t)total;
    return E_OK;
}

void frame_unmap(struct frame *f, struct task *t, uint64_t va, unsigned mode)
{
    wx_count(f, mode, -1);
    struct pt_env env = task_pt_env(t);
    int live = sched_current && sched_current->task == t;
    for (uint64_t i = 0; i < f->npages; i++) {
        uint64_t pa;
        if (!pt_unmap(&env, t->pml4, va + i * PAGE_SIZE, &pa) && live)
            invlpg(va + i * PAGE_SIZE);
    }
}

void frame_cap_deleted(struct cap *c)
{
    if (c->mapped_at && c->cs->task)
        frame_unmap((struct frame *)c->obj, c->cs->task, c->mapped_at, c->map_mode);
    c->mapped_at = 0;
}

err_t frame_create(struct quota *q, struct task *owner, uint64_t npages,
                   struct cspace *cs, uint64_t dst)
{
    err_t e = cap_check_empty(cs, dst);
    struct frame *f;
    if (!e)
        e = frame_new(q, owner, npages, &f);
    if (!e)
        cap_install(cs, dst, &f->obj,
                    RS_RIGHT_READ | RS_RIGHT_WRITE | RS_RIGHT_EXEC | RS_RIGHT_MANAGE, 0);
    return e;
}

err_t frame_create_mmio(uint64_t phys, uint64_t npages, struct task *owner,
                        struct cspace *cs, uint64_t dst)
{
    if (phys % PAGE_SIZE)
        return E_ALIGN;
    if (npages == 0 || npages > RS_MMIO_MAX_PAGES || phys + npages * PAGE_SIZE < phys
        || phys + npages * PAGE_SIZE > (1ull << 52))
        return E_RANGE;
    if (mm_overlaps_ram(phys, phys + npages * PAGE_SIZE))
        return E_RANGE;             /* RAM is handed out as frames from quotas only */
    err_t e = cap_check_empty(cs, dst);
    struct frame *f;
    if (!e)
        e = frame_shell(owner ? owner->quota : 0, owner, npages, 0, &f);
    if (e)
        return e;
    f->device = 1;
    f->device_base = phys;
    cap_install(cs, dst, &f->obj, RS_RIGHT_READ | RS_RIGHT_WRITE, 0);
    return E_OK;
}

err_t frame_create_dma(struct quota *q, struct task *owner, uint64_t npages,
                       struct cspace *cs, uint64_t dst)
{
    if (npages == 0 || npages > RS_DMA_MAX_PAGES)
        return E_RANGE;
    err_t e = cap_check_empty(cs, dst);
    struct frame *f;
    uint64_t list, run;
    if (!e)
        e = frame_shell(q, owner, npages, (uint32_t)(npages + 1) * PAGE_SIZE, &f);
    if (e)
        return e;
    if (frame_alloc(&list)) {
        kobj_kill(&f->obj);
        return E_NOMEM;
    }
    f->pages = phys_to_virt(list);
    if (frame_alloc_contig(npages, &run)) {
        kobj_kill(&f->obj);         /* release frees the list page */
        return E_NOMEM;
    }
    for (uint64_t i = 0; i < npages; i++)
        f->pages[i] = run + i * PAGE_SIZE;
    f->dma = 1;
    cap_install(cs, dst, &f->obj, RS_RIGHT_READ | RS_RIGHT_WRITE | RS_RIGHT_MANAGE, 0);
    return E_OK;
}

/* Part of a device window c names, in the caller's slot dst (check, then make). */
static err_t frame_split(struct thread *th, struct cap *c)
{
    struct frame *f = (struct frame *)c->obj, *part;
    uint64_t offset = SYS_A0(th), pages = SYS_A1(th), dst = SYS_A2(th);
    struct cspace *cs = &th->task->cspace;
    if (!f->device)
        return E_INVAL;             /* RAM is never shared out by parts */
    if (pages == 0 || pages > f->npages || offset > f->npages - pages)
        return E_RANGE;
    err_t e = cap_check_empty(cs, dst);
    if (!e)
        e = frame_shell(f->obj.charged, 0, pages, 0, &part);
    if (e)
        return e;
    part->device = 1;
    part->device_base = f->device_base + offset * PAGE_SIZE;
    cap_install(cs, dst, &part->obj, c->rights & (RS_RIGHT_READ | RS_RIGHT_WRITE), 0);
    return E_OK;
}

static void frame_do_map(struct thread *th, struct cap *c)
{
    uint64_t va = SYS_A0(th), flags = SYS_A1(th);
    uint32_t need = RS_RIGHT_READ | ((flags & RS_MAP_WRITE) ? RS_RIGHT_WRITE : 0)
                    | ((flags & RS_MAP_EXEC) ? RS_RIGHT_EXEC : 0);
    struct frame *f = (struct frame *)c->obj;
    err_t e = E_OK;
    if (flags & ~(uint64_t)(RS_MAP_WRITE | RS_MAP_EXEC))
        e = E_INVAL;
    else if ((c->rights & need) != need)
        e = E_RIGHTS;
    else if (c->mapped_at)
        e = E_EXISTS;
    else if (f->device && (flags & RS_MAP_EXEC))
        e = E_INVAL;                /* device memory is never code */
    if (!e)
        e = frame_map(f, th->task, va, (unsigned)flags);
    if (!e) {
        c->mapped_at = va;
        c->map_mode = (uint32_t)flags;
    }
    sys_result(th, e);
}

void frame_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct frame *f = (struct frame *)c->obj;
    switch (op) {
    case RS_OP_FRAME_MAP:
        frame_do_map(th, c);
        break;
    case RS_OP_FRAME_UNMAP:
        if (!c->mapped_at) {
            sys_result(th, E_NOENT);
            break;
        }
        frame_unmap(f, th->task, c->mapped_at, c->map_mode);
        c->mapped_at = 0;
        sys_result(th, E_OK);
        break;
    case RS_OP_FRAME_INFO:
        SYS_A0(th) = f->npages;
        SYS_A1(th) = c->mapped_at;
        sys_result(th, E_OK);
        break;
    case RS_OP_FRAME_SPLIT:
        sys_result(th, frame_split(th, c));
        break;
    case RS_OP_FRAME_GROW: {
        err_t e = !(c->rights & RS_RIGHT_MANAGE) ? E_RIGHTS
                  : f->dma ? E_INVAL                /* a DMA run stays one run */
                  : frame_grow(f, c, SYS_A0(th));
        if (!e)
            SYS_A0(th) = f->npages;
        sys_result(th, e);
        break;
    }
    default:
        sys_result(th, E_NOSYS);
    }
}
