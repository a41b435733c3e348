/* Message transfer between two threads: the six message words, and on the slow
 * path the optional buffer copy and capability transfer (struct rs_ipc_extra). */
#include "ipc.h"
#include "ipc_xfer.h"
#include "task.h"
#include "usercopy.h"

#define INFO_MASK (0xFFFFFFFFull | RS_MSG_BUFFER | RS_MSG_CAP | RS_MSG_ID_MASK)

err_t ipc_check_label(const struct thread *th)
{
    uint32_t label = (uint32_t)th->ctx.rsi;
    return label - RS_LABEL_KERNEL_FIRST <= RS_LABEL_KERNEL_LAST - RS_LABEL_KERNEL_FIRST
           ? E_INVAL : E_OK;
}

err_t ipc_check_extra(struct thread *th, const struct cap *via, int need_grant)
{
    uint64_t info = th->ctx.rsi;
    if (!(info & (RS_MSG_BUFFER | RS_MSG_CAP)))
        return E_OK;
    struct rs_ipc_extra ex;
    if (user_read(th->task, th->ctx.rbx, &ex, sizeof ex))
        return E_FAULT;
    if ((info & RS_MSG_BUFFER) && ex.send_len > RS_BUFFER_MAX)
        return E_RANGE;
    if (info & RS_MSG_CAP) {
        if (need_grant && !(via->rights & RS_RIGHT_GRANT))
            return E_RIGHTS;
        if (ex.send_cap >= th->task->cspace.nslots || !th->task->cspace.slots[ex.send_cap].obj)
            return E_NOCAP;
    }
    return E_OK;
}

static uint64_t xfer_buffer(struct thread *s, const struct rs_ipc_extra *sx,
                            struct thread *r, struct rs_ipc_extra *rx, uint64_t info)
{
    uint64_t n = sx->send_len < rx->recv_max ? sx->send_len : rx->recv_max;
    if (n > RS_BUFFER_MAX)
        n = RS_BUFFER_MAX;          /* re-read from user memory: check again */
    if (user_copy(r->task, rx->recv_buf, s->task, sx->send_buf, n))
        return info & ~RS_MSG_BUFFER;
    rx->recv_len = n;
    return info;
}

static uint64_t xfer_cap(struct thread *s, const struct rs_ipc_extra *sx,
                         struct thread *r, struct rs_ipc_extra *rx, uint64_t info)
{
    struct cspace *scs = &s->task->cspace;
    if (sx->send_cap >= scs->nslots)
        return info & ~RS_MSG_CAP;
    struct cap *c = &scs->slots[sx->send_cap];
    if (!c->obj || cap_derive(c, &r->task->cspace, rx->recv_cap, c->rights, c->badge))
        return info & ~RS_MSG_CAP;
    rx->recv_cap_received = 1;
    return info;
}

/* Moves the buffer and capability; returns the info with the flags of what did
 * not arrive cleared. The receiver opts in by pointing RBX at its rs_ipc_extra. */
static uint64_t xfer_extra(struct thread *s, struct thread *r, uint64_t info)
{
    struct rs_ipc_extra sx, rx;
    if (user_read(s->task, s->ctx.rbx, &sx, sizeof sx)
        || user_read(r->task, r->ctx.rbx, &rx, sizeof rx))
        return info & ~(RS_MSG_BUFFER | RS_MSG_CAP);
    rx.recv_len = 0;
    rx.recv_cap_received = 0;
    if (info & RS_MSG_BUFFER)
        info = xfer_buffer(s, &sx, r, &rx, info);
    if (info & RS_MSG_CAP)
        info = xfer_cap(s, &sx, r, &rx, info);
    if (user_write(r->task, r->ctx.rbx, &rx, sizeof rx))
        return info & ~(RS_MSG_BUFFER | RS_MSG_CAP);
    return info;
}

void ipc_deliver(struct thread *s, struct thread *r, uint64_t badge)
{
    struct trap_frame *rc = &r->ctx;
    rc->rax = E_OK;
    rc->rdi = badge;
    if (s->kmsg_pending) {
        rc->rsi = s->kmsg_label;
        rc->rdx = s->kmsg[0], rc->r10 = s->kmsg[1], rc->r8 = s->kmsg[2];
        rc->r9 = s->kmsg[3], rc->r12 = s->kmsg[4], rc->r13 = s->kmsg[5];
        return;
    }
    const struct trap_frame *sc = &s->ctx;
    uint64_t info = sc->rsi & INFO_MASK;
    rc->rdx = sc->rdx, rc->r10 = sc->r10, rc->r8 = sc->r8;
    rc->r9 = sc->r9, rc->r12 = sc->r12, rc->r13 = sc->r13;
    if (info & (RS_MSG_BUFFER | RS_MSG_CAP))
        info = xfer_extra(s, r, info);
    rc->rsi = info;
}
