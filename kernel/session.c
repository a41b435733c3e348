/* Session state regions (see session.h). */
#include "cap.h"
#include "hw.h"
#include "ipc.h"
#include "mm.h"
#include "sched.h"
#include "session.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86_64/pagetable.h"

/* Only the first thread of a server has a window (its server loop). */
static uint64_t *window_of(const struct thread *th)
{
    return th->index == 0 ? th->task->session_pt : 0;
}

struct frame *session_of_call(const struct thread *caller, const struct endpoint *ep)
{
    const struct cspace *cs = &caller->task->cspace;
    if (caller->kmsg_pending || caller->ipc_slot >= cs->nslots)
        return 0;
    const struct cap *c = &cs->slots[caller->ipc_slot];
    return c->obj == &ep->obj ? c->session : 0;
}

void session_map(struct thread *server, struct frame *f)
{
    uint64_t *pt = window_of(server);
    if (!f || !pt || f->session_server || f->obj.dead)
        return;                     /* no region, no window, mapped elsewhere, or its
                                       client's memory is gone (it is dying) */
    uint64_t flags = PTE_P | PTE_W | PTE_U | mm_nx();
    for (uint32_t i = 0; i < f->npages; i++)
        pt[i] = frame_page(f, i) | flags;
    f->session_server = server;
    server->session_map = f;
    server->ctx.rsi |= RS_MSG_SESSION;
}

void session_unmap(struct thread *server)
{
    struct frame *f = server->session_map;
    if (!f)
        return;
    uint64_t *pt = server->task->session_pt;
    for (uint32_t i = 0; pt && i < f->npages; i++) {
        pt[i] = 0;
        sched_flush_page(server->task->pml4, RS_SESSION_WINDOW + (uint64_t)i * PAGE_SIZE);
    }
    f->session_server = 0;
    server->session_map = 0;
}

/* The session's reference goes; the region dies with it (it may be dead already:
 * its owner, the client, died first). */
void cap_session_dropped(struct frame *f)
{
    if (f->session_server)
        session_unmap(f->session_server);
    kobj_kill(&f->obj);
    kobj_unref(&f->obj);
}

/* The capability the call th is handling came through, if it can take a region. */
static err_t caller_cap(struct thread *th, struct cap **out)
{
    struct thread *c = th->caller;
    if (!c || c->kmsg_pending)
        return E_NOENT;
    struct cspace *cs = &c->task->cspace;
    if (c->ipc_slot >= cs->nslots)
        return E_NOENT;
    struct cap *cap = &cs->slots[c->ipc_slot];
    if (!cap->obj || cap->obj->type != RS_OBJ_ENDPOINT || cap->obj->dead)
        return E_NOENT;
    *out = cap;
    return E_OK;
}

void sys_session_open(struct thread *th)
{
    uint64_t pages = th->ctx.rdi;
    struct cap *cap;
    struct frame *f;
    err_t e = caller_cap(th, &cap);
    if (!e && !window_of(th))
        e = E_NOENT;
    if (!e && (pages == 0 || pages > RS_SESSION_MAX_PAGES))
        e = E_RANGE;
    if (!e && cap->session)
        e = E_EXISTS;
    if (!e)
        e = frame_new(th->caller->task->quota, th->caller->task, pages, &f);
    if (e) {
        sys_result(th, e);
        return;
    }
    kobj_ref(&f->obj);              /* the session's, besides the frame's alive one */
    cap->session = f;
    session_map(th, f);
    sys_result(th, E_OK);
    th->ctx.rdi = RS_SESSION_WINDOW;
}

err_t session_window_create(struct task *t)
{
    if (t->session_pt)
        return E_EXISTS;
    struct pt_env env = task_pt_env(t);
    return pt_leaf_table(&env, t->pml4, RS_SESSION_WINDOW, 1, &t->session_pt);
}

/* session_move: the region of the capability in A0 (alive or a tombstone) moves
 * to c. Checked whole first. */
static err_t session_move(struct thread *th, struct cap *c)
{
    struct cspace *cs = &th->task->cspace;
    uint64_t slot = SYS_A0(th);
    if (slot >= cs->nslots || slot == c->slot || !cs->slots[slot].obj)
        return E_NOCAP;
    struct cap *src = &cs->slots[slot];
    if (!src->session)
        return E_NOENT;
    if (c->session)
        return E_EXISTS;
    if (src->session->session_server)
        return E_BUSY;              /* a server is handling a call that has it */
    c->session = src->session;
    src->session = 0;
    return E_OK;
}

void endpoint_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    err_t e = E_NOSYS;
    if (op == RS_OP_ENDPOINT_SESSION_MOVE) {
        e = session_move(th, c);
    } else if (op == RS_OP_ENDPOINT_SESSION_INFO) {
        SYS_A0(th) = c->session ? c->session->npages : 0;
        e = E_OK;
    }
    sys_result(th, e);
}
