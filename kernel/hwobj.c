/* IRQ lines and I/O-port ranges as capability objects. An IRQ becomes a
 * notification to the holder of its capability, which acknowledges it; a line with
 * no bound holder stays masked. Ports are reachable from ring 3 only through the
 * task's I/O permission bitmap, built from its live ioports capabilities. */
#include "console.h"
#include "hw.h"
#include "ipc.h"
#include "kstring.h"
#include "mm.h"
#include "quota.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/pic.h"

#define IOPB_PAGES 2

/* The objects of each line: the first, made from the platform, and the shares made
 * from it (a PCI line serves several devices). A line is unmasked exactly when some
 * share is bound and none has an interrupt it has not acknowledged. */
static struct irq *irq_lines[16][IRQ_SHARES_MAX];

static unsigned line_holders(unsigned line)
{
    unsigned n = 0;
    for (unsigned i = 0; i < IRQ_SHARES_MAX; i++)
        n += irq_lines[line][i] != 0;
    return n;
}

/* Masks or unmasks `line` by the rule above: bounded by IRQ_SHARES_MAX. */
static void line_update(unsigned line)
{
    int bound = 0, pending = 0;
    for (unsigned i = 0; i < IRQ_SHARES_MAX; i++) {
        struct irq *s = irq_lines[line][i];
        if (s && s->notify)
            bound = 1, pending |= s->pending_ack;
    }
    if (bound && !pending)
        pic_unmask(line);
    else
        pic_mask(line);
}

/* A new object for `line` in cs at dst, charged to q (the kernel's when NULL) and
 * owned by owner (none: it lives as long as a capability names it). */
static err_t irq_make(uint64_t line, struct task *owner, struct quota *q, struct cspace *cs,
                      uint64_t dst)
{
    unsigned i = 0;
    while (i < IRQ_SHARES_MAX && irq_lines[line][i])
        i++;
    if (i == IRQ_SHARES_MAX)
        return E_BUSY;
    struct kobj *o;
    err_t e = kobj_create_cap(RS_OBJ_IRQ, owner, q, 0, cs, dst, RS_RIGHT_MANAGE, &o);
    if (e)
        return e;
    struct irq *irq = (struct irq *)o;
    irq->line = (uint8_t)line;
    irq_lines[line][i] = irq;
    return E_OK;
}

err_t irq_create(uint64_t line, struct task *owner, struct cspace *cs, uint64_t dst)
{
    if (line == 0 || line == 2 || line >= 16)
        return E_RANGE;             /* the timer and the PIC cascade stay the kernel's */
    if (line_holders((unsigned)line))
        return E_BUSY;              /* one platform object a line; more are shares */
    return irq_make(line, owner, owner ? owner->quota : 0, cs, dst);
}

static void irq_unbind(struct irq *irq)
{
    irq->pending_ack = 0;
    if (irq->notify)
        kobj_unref(&irq->notify->obj);
    irq->notify = 0;
    line_update(irq->line);
}

void irq_kill(struct irq *irq)
{
    irq_unbind(irq);
    for (unsigned i = 0; i < IRQ_SHARES_MAX; i++)
        if (irq_lines[irq->line][i] == irq)
            irq_lines[irq->line][i] = 0;
    line_update(irq->line);
    unsigned left = line_holders(irq->line);
    if (left)
        kprintf("irq: line %u: one share released, %u left\n", irq->line, left);
    else
        kprintf("irq: line %u released, masked\n", irq->line);
}

/* The line stays masked until every share that was told has acknowledged. */
void irq_deliver(unsigned line)
{
    pic_mask(line);
    for (unsigned i = 0; i < IRQ_SHARES_MAX; i++) {
        struct irq *s = irq_lines[line][i];
        if (!s || !s->notify || s->notify->obj.dead)
            continue;               /* nobody listens there */
        s->pending_ack = 1;
        notify_bits(s->notify, s->bits);
    }
}

static err_t irq_bind(struct thread *th, struct irq *irq)
{
    struct cap *n;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_NOTIFICATION, RS_RIGHT_WRITE, &n);
    if (e)
        return e;
    if (!SYS_A1(th))
        return E_INVAL;
    irq_unbind(irq);
    irq->notify = (struct notification *)n->obj;
    kobj_ref(n->obj);
    irq->bits = SYS_A1(th);
    line_update(irq->line);
    return E_OK;
}

/* A share of irq's line for another holder (a PCI device's driver), charged to the
 * quota irq is charged to and owned by no task: it lives while a capability names
 * it, so it outlives the server that made it. */
static err_t irq_share(struct thread *th, struct irq *irq)
{
    struct cspace *cs = &th->task->cspace;
    err_t e = cap_check_empty(cs, SYS_A0(th));
    return e ? e : irq_make(irq->line, 0, irq->obj.charged, cs, SYS_A0(th));
}

void irq_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct irq *irq = (struct irq *)c->obj;
    err_t e = (c->rights & RS_RIGHT_MANAGE) ? E_OK : E_RIGHTS;
    if (e) {
        sys_result(th, e);
        return;
    }
    switch (op) {
    case RS_OP_IRQ_BIND:
        e = irq_bind(th, irq);
        if (e == E_CAPFAULT)
            return;                 /* sys_cap wrote the fault already */
        break;
    case RS_OP_IRQ_ACK:
        e = irq->pending_ack ? E_OK : E_NOENT;
        if (!e) {
            irq->pending_ack = 0;
            line_update(irq->line);
        }
        break;
    case RS_OP_IRQ_UNBIND:
        irq_unbind(irq);
        break;
    case RS_OP_IRQ_SHARE:
        e = irq_share(th, irq);
        break;
    case RS_OP_IRQ_INFO:
        SYS_A0(th) = irq->line;
        break;
    default:
        e = E_NOSYS;
    }
    sys_result(th, e);
}

/* Ports the kernel keeps for itself: PICs, PIT, the debug-exit device. */
static int port_reserved(uint64_t first, uint64_t count)
{
    static const struct { uint16_t a, n; } kernel_ports[] = {
        { 0x20, 2 }, { 0xA0, 2 }, { 0x40, 4 }, { 0xF4, 4 },
    };
    for (unsigned i = 0; i < sizeof kernel_ports / sizeof kernel_ports[0]; i++)
        if (first < kernel_ports[i].a + kernel_ports[i].n && kernel_ports[i].a < first + count)
            return 1;
    return 0;
}

err_t ioports_create(uint64_t first, uint64_t count, struct task *owner,
                     struct cspace *cs, uint64_t dst)
{
    if (count == 0 || first >= 0x10000 || count > 0x10000 - first)
        return E_RANGE;
    if (port_reserved(first, count))
        return E_BUSY;
    struct kobj *o;
    err_t e = kobj_create_cap(RS_OBJ_IOPORTS, owner, owner ? owner->quota : 0, 0, cs, dst,
                              RS_RIGHT_MANAGE, &o);
    if (e)
        return e;
    ((struct ioports *)o)->first = (uint16_t)first;
    ((struct ioports *)o)->count = (uint16_t)count;
    return E_OK;
}

/* Clears (allows) bits [first, first + count) of an I/O bitmap: whole bytes by
 * memset, so the cost is at most 8 KiB of writes whatever the range. */
static void iopb_allow(uint8_t *map, uint32_t first, uint32_t count)
{
    uint32_t end = first + count;
    while (first < end && first % 8)
        map[first / 8] &= (uint8_t)~(1u << (first % 8)), first++;
    if (end - first >= 8) {
        memset(map + first / 8, 0, (end - first) / 8);
        first += (end - first) / 8 * 8;
    }
    while (first < end)
        map[first / 8] &= (uint8_t)~(1u << (first % 8)), first++;
}

/* The enabled ioports capabilities of t, but `skip` (one being deleted). */
static unsigned iopb_enabled(struct task *t, struct cap *skip, struct cap **found)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < t->cspace.nslots; i++) {
        struct cap *c = &t->cspace.slots[i];
        if (c != skip && c->obj && c->obj->type == RS_OBJ_IOPORTS && !c->obj->dead
            && c->mapped_at && n < IOPORTS_ENABLED_MAX)
            found[n++] = c;
    }
    return n;
}

/* Rebuilds t's bitmap from its enabled ioports capabilities: one pass over the
 * cspace and at most IOPORTS_ENABLED_MAX ranges (bounded work, interrupts off). */
static void iopb_rebuild(struct task *t, struct cap *skip)
{
    struct cap *en[IOPORTS_ENABLED_MAX];
    unsigned n = iopb_enabled(t, skip, en);
    memset(t->iopb, 0xFF, IOPB_PAGES * PAGE_SIZE);
    for (unsigned i = 0; i < n; i++) {
        struct ioports *p = (struct ioports *)en[i]->obj;
        iopb_allow(t->iopb, p->first, p->count);
    }
    tss_io_bitmap_changed(t);
    if (sched_current && sched_current->task == t)
        tss_io_bitmap(t, t->iopb);
}

static err_t ioports_enable(struct thread *th, struct cap *c)
{
    struct task *t = th->task;
    struct cap *en[IOPORTS_ENABLED_MAX];
    if (c->mapped_at)
        return E_OK;
    if (iopb_enabled(t, 0, en) == IOPORTS_ENABLED_MAX)
        return E_BUSY;
    if (!t->iopb) {
        uint64_t phys;
        if (quota_charge(t->quota, IOPB_PAGES * PAGE_SIZE))
            return E_QUOTA;
        if (frame_alloc_contig(IOPB_PAGES, &phys)) {
            quota_uncharge(t->quota, IOPB_PAGES * PAGE_SIZE);
            return E_NOMEM;
        }
        t->iopb = phys_to_virt(phys);
    }
    c->mapped_at = 1;               /* for ioports: "enabled" */
    iopb_rebuild(t, 0);
    return E_OK;
}

void ioports_cap_deleted(struct cap *c)
{
    struct task *t = c->cs->task;
    if (c->mapped_at && t && t->iopb)
        iopb_rebuild(t, c);
    c->mapped_at = 0;
}

/* A capability to part of p's range in the caller's slot dst (check, then make). */
static err_t ioports_split(struct thread *th, struct ioports *p)
{
    uint64_t first = SYS_A0(th), count = SYS_A1(th), dst = SYS_A2(th);
    struct cspace *cs = &th->task->cspace;
    if (count == 0 || first < p->first || count > p->count
        || first - p->first > p->count - count)
        return E_RANGE;
    err_t e = cap_check_empty(cs, dst);
    struct kobj *o;
    if (!e)
        e = kobj_create_cap(RS_OBJ_IOPORTS, 0, p->obj.charged, 0, cs, dst, RS_RIGHT_MANAGE, &o);
    if (e)
        return e;
    ((struct ioports *)o)->first = (uint16_t)first;
    ((struct ioports *)o)->count = (uint16_t)count;
    return E_OK;
}

void ioports_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct ioports *p = (struct ioports *)c->obj;
    if (!(c->rights & RS_RIGHT_MANAGE)) {
        sys_result(th, E_RIGHTS);
        return;
    }
    switch (op) {
    case RS_OP_IOPORTS_ENABLE:
        sys_result(th, ioports_enable(th, c));
        break;
    case RS_OP_IOPORTS_INFO:
        SYS_A0(th) = p->first;
        SYS_A1(th) = p->count;
        sys_result(th, E_OK);
        break;
    case RS_OP_IOPORTS_SPLIT:
        sys_result(th, ioports_split(th, p));
        break;
    default:
        sys_result(th, E_NOSYS);
    }
}
