/* DMA capabilities (see dma.h). Without an IOMMU the objects still count and
 * reference what a driver grants, and a frame's bus address is its physical
 * address: the same driver code runs, but nothing stops its device. */
#include "console.h"
#include "dma.h"
#include "fault.h"
#include "hw.h"
#include "kstring.h"
#include "mm.h"
#include "quota.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "thread.h"

static struct dma_dev *functions[DMA_FUNCTIONS];

err_t dma_bus_create(struct task *owner, struct cspace *cs, uint64_t dst)
{
    struct kobj *o;
    err_t e = kobj_create_cap(RS_OBJ_DMA, owner, owner ? owner->quota : 0, 0, cs, dst,
                              RS_RIGHT_MANAGE, &o);
    if (!e)
        ((struct dma_dev *)o)->bdf = DMA_BUS_BDF;
    return e;
}

/* A function object for bdf in the caller's slot dst, from the bus object. */
static err_t make_function(struct thread *th, struct dma_dev *bus)
{
    uint64_t bdf = SYS_A0(th), dst = SYS_A1(th);
    struct cspace *cs = &th->task->cspace;
    unsigned i = 0;
    if (bus->bdf != DMA_BUS_BDF)
        return E_INVAL;             /* only the bus makes functions */
    if (bdf > 0xFFFF)
        return E_RANGE;
    for (unsigned j = 0; j < DMA_FUNCTIONS; j++)
        if (functions[j] && functions[j]->bdf == bdf)
            return E_BUSY;          /* one object a function: delete the old one */
    while (i < DMA_FUNCTIONS && functions[i])
        i++;
    if (i == DMA_FUNCTIONS)
        return E_BUSY;
    err_t e = cap_check_empty(cs, dst);
    struct kobj *o;
    iommu_poll();                   /* what the device did before: nobody's doing */
    if (!e)
        e = kobj_create_cap(RS_OBJ_DMA, 0, bus->obj.charged, PAGE_SIZE, cs, dst,
                            RS_RIGHT_MANAGE, &o);
    if (e)
        return e;
    struct dma_dev *d = (struct dma_dev *)o;
    d->bdf = (uint32_t)bdf;
    d->domain = (uint16_t)(i + 1);
    if (iommu_enabled()) {
        if (iommu_space_new(&d->space)) {
            kobj_kill(o);
            return E_NOMEM;
        }
        iommu_attach(d->bdf, d->domain, &d->space);
    }
    functions[i] = d;
    return E_OK;
}

/* Maps every page of f at its physical address in d's space (identity: the bus
 * address a driver writes into its device is the one dma map returns). */
static err_t map_frame(struct dma_dev *d, struct frame *f)
{
    for (uint32_t p = 0; p < f->npages && iommu_enabled(); p++) {
        unsigned grew = 0;
        err_t e = kobj_charge_more(&d->obj, PAGE_SIZE * 3);  /* at most 3 new tables */
        if (!e)
            e = iommu_map(&d->space, f->pages[p], f->pages[p], &grew);
        kobj_charge_less(&d->obj, PAGE_SIZE * (3 - grew));
        if (e) {
            while (p--)
                iommu_unmap(&d->space, f->pages[p]);
            iommu_flush();
            return e;
        }
    }
    return E_OK;
}

static err_t dma_map(struct thread *th, struct dma_dev *d)
{
    struct cap *fc;
    unsigned i = 0;
    if (d->bdf == DMA_BUS_BDF)
        return E_INVAL;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_FRAME, RS_RIGHT_READ | RS_RIGHT_WRITE, &fc);
    if (e)
        return e;
    struct frame *f = (struct frame *)fc->obj;
    if (!f->dma)
        return E_TYPE;              /* only contiguous DMA frames (quota create_dma) */
    for (unsigned j = 0; j < DMA_FRAMES_MAX; j++)
        if (d->frames[j] == f)
            return E_EXISTS;
    while (i < DMA_FRAMES_MAX && d->frames[i])
        i++;
    if (i == DMA_FRAMES_MAX)
        return E_BUSY;
    e = map_frame(d, f);
    if (e)
        return e;
    kobj_ref(&f->obj);
    d->frames[i] = f;
    SYS_A0(th) = f->pages[0];
    return E_OK;
}

static void unmap_slot(struct dma_dev *d, unsigned i)
{
    struct frame *f = d->frames[i];
    for (uint32_t p = 0; p < f->npages && iommu_enabled(); p++)
        iommu_unmap(&d->space, f->pages[p]);
    d->frames[i] = 0;
    kobj_unref(&f->obj);
}

static err_t dma_unmap(struct thread *th, struct dma_dev *d)
{
    struct cap *fc;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_FRAME, 0, &fc);
    if (e)
        return e;
    for (unsigned i = 0; i < DMA_FRAMES_MAX; i++) {
        if (d->frames[i] == (struct frame *)fc->obj) {
            unmap_slot(d, i);
            iommu_flush();
            return E_OK;
        }
    }
    return E_NOENT;
}

void dma_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct dma_dev *d = (struct dma_dev *)c->obj;
    err_t e = (c->rights & RS_RIGHT_MANAGE) ? E_OK : E_RIGHTS;
    if (!e) {
        switch (op) {
        case RS_OP_DMA_FUNCTION: e = make_function(th, d); break;
        case RS_OP_DMA_MAP: e = dma_map(th, d); break;
        case RS_OP_DMA_UNMAP: e = dma_unmap(th, d); break;
        case RS_OP_DMA_INFO:
            SYS_A0(th) = d->bdf;
            SYS_A1(th) = (uint64_t)iommu_enabled();
            SYS_A2(th) = d->faults;
            break;
        default: e = E_NOSYS;
        }
    }
    if (e != E_CAPFAULT)
        sys_result(th, e);
}

void dma_kill(struct dma_dev *d)
{
    if (d->bdf == DMA_BUS_BDF)
        return;
    iommu_detach(d->bdf);           /* the device is blocked first */
    iommu_poll();                   /* faults so far are this object's driver's */
    for (unsigned i = 0; i < DMA_FRAMES_MAX; i++)
        if (d->frames[i])
            unmap_slot(d, i);
    iommu_space_free(&d->space);
    for (unsigned i = 0; i < DMA_FUNCTIONS; i++)
        if (functions[i] == d)
            functions[i] = 0;
}

/* The task that holds d's first capability (its driver), or NULL. */
static struct task *holder(const struct dma_dev *d)
{
    const struct cap *c = d->obj.caps;
    return c && c->cs ? c->cs->task : 0;
}

void dma_fault(uint32_t bdf, uint64_t iova, int write, unsigned reason)
{
    struct dma_dev *d = 0;
    for (unsigned i = 0; i < DMA_FUNCTIONS; i++)
        if (functions[i] && functions[i]->bdf == bdf && reason != IOMMU_NO_CONTEXT)
            d = functions[i];       /* with no context entry, no live object's doing */
    struct task *t = d ? holder(d) : 0;
    if (d)
        d->faults++;
    if (!t || t->dma_fault_pending || t->state != RS_TASK_RUNNING) {
        if (!d || d->faults <= 1)
            kprintf("iommu: DMA %s of %#lx by %02x:%02x.%x refused (reason %u%s)\n",
                    write ? "write" : "read", iova, bdf >> 8, (bdf >> 3) & 31, bdf & 7, reason,
                    reason == IOMMU_NO_CONTEXT ? ": no live driver's grants" : "");
        return;
    }
    kprintf("iommu: %02x:%02x.%x tried to %s %#lx, which its driver '%s' never granted "
            "(reason %u): refused; the driver faults\n", bdf >> 8, (bdf >> 3) & 31, bdf & 7,
            write ? "write" : "read", iova, t->name, reason);
    t->dma_fault_pending = 1;
    t->dma_fault_addr = iova;
    t->dma_fault_bdf = bdf;
    struct thread *th = t->threads;
    if (th && th->state >= TH_BLOCKED_SEND && th->state <= TH_SLEEPING && !th->kmsg_pending)
        thread_wake(th, E_FAULT);   /* it faults before it sees this */
}

void dma_fault_deliver(struct thread *th)
{
    struct task *t = th->task;
    t->dma_fault_pending = 0;
    if (t->state != RS_TASK_RUNNING)
        return;
    fault_raise(th, RS_FAULT_DMA, 0, t->dma_fault_addr, t->dma_fault_bdf);
}
