/* The IPC fast path (after seL4's): a call or reply-receive that carries only the
 * register message, whose partner is already waiting and may run next, hands the
 * words over and switches straight to the partner. Bounded timeouts stay on it:
 * the caller's reply wait or the server's receive is armed, the partner's
 * cancelled (heap operations, O(log n)). Every other case (and every
 * error) takes the full path in ipc.c, which gives the same result more slowly.
 *
 * Session state regions (session.h) stay on it: the call maps the region of the
 * capability it came through into the server, the reply unmaps it; a capability
 * without one costs a load and a test. */
#include "ipc.h"
#include "sched.h"
#include "session.h"
#include "syscall.h"
#include "task.h"

#define likely(x) __builtin_expect(!!(x), 1)

/* The endpoint behind slot if the capability is alive with `right`, else NULL. */
static inline struct endpoint *fast_endpoint(struct thread *th, uint64_t slot, uint32_t right,
                                             struct cap **out)
{
    struct cspace *cs = &th->task->cspace;
    if (slot >= cs->nslots)
        return 0;
    struct cap *c = &cs->slots[slot];
    struct kobj *o = c->obj;
    if (!o || o->type != RS_OBJ_ENDPOINT || o->dead || !(c->rights & right))
        return 0;
    *out = c;
    return (struct endpoint *)o;
}

/* Whether partner p may take over the CPU at once. */
static inline int fast_partner_ok(const struct thread *p)
{
    return !p->held && p->task->state == RS_TASK_RUNNING && p->prio >= sched_highest();
}

/* p stops waiting: its timeout, if it had one, goes (a heap removal). */
static inline void fast_end_wait(struct thread *p)
{
    if (p->timeout.queued)
        sched_timeout_cancel(p);
}

static inline void fast_copy(struct trap_frame *to, const struct trap_frame *from,
                             uint64_t badge)
{
    to->rax = E_OK;
    to->rdi = badge;
    to->rsi = from->rsi & (0xFFFFFFFFull | RS_MSG_ID_MASK);
    to->rdx = from->rdx, to->r10 = from->r10, to->r8 = from->r8;
    to->r9 = from->r9, to->r12 = from->r12, to->r13 = from->r13;
}

void ipc_fast_call(struct thread *th)
{
    struct trap_frame *c = &th->ctx;
    struct cap *cap;
    struct endpoint *ep = fast_endpoint(th, c->rdi, RS_RIGHT_WRITE, &cap);
    struct thread *r = ep && ep->receivers ? ep->q.head : 0;
    /* Only labels below the kernel's (no buffer, no capability, no reserved
     * label; a request id may come); the rest, the framework's high labels
     * included, take the full path. */
    if (!likely(r && (c->rsi & ~RS_MSG_ID_MASK) < RS_LABEL_KERNEL_FIRST
                && fast_partner_ok(r))) {
        ipc_call(th);
        return;
    }
    fast_end_wait(r);
    if (c->r14 != RS_TIMEOUT_FOREVER)
        sched_timeout_arm(th, c->r14);      /* a bounded call bounds its reply wait */
    ep->q.head = r->rq_next;
    if (ep->q.head)
        ep->q.head->rq_prev = 0;
    else
        ep->q.tail = 0;
    r->rq_next = 0;
    fast_copy(&r->ctx, c, cap->badge);
    if (cap->session)
        session_map(r, cap->session);       /* the caller's region, into r */
    th->ipc_slot = c->rdi;                  /* (ipc_badge, ipc_is_call: queued senders only) */
    th->state = TH_BLOCKED_REPLY;
    th->blocked_on = r;
    r->caller = th;
    r->state = TH_RUNNABLE;
    r->blocked_on = 0;
    sched_run(r);
}

void ipc_fast_reply_recv(struct thread *th)
{
    struct trap_frame *c = &th->ctx;
    struct cap *cap;
    struct endpoint *ep = fast_endpoint(th, c->rdi, RS_RIGHT_READ, &cap);
    struct thread *caller = th->caller;
    if (!likely(ep && caller && !(c->rsi >> 32)
                && (!ep->q.head || ep->receivers) && !(th->bound && th->bound->word)
                && fast_partner_ok(caller))) {
        ipc_reply_recv(th);
        return;
    }
    if (c->r14 != RS_TIMEOUT_FOREVER) {
        if (c->r14 == RS_TIMEOUT_POLL) {
            ipc_reply_recv(th);             /* answers, then does not wait */
            return;
        }
        sched_timeout_arm(th, c->r14);      /* the server's receive is bounded */
    }
    fast_end_wait(caller);
    ep->receivers = 1;
    if (likely(!ep->q.head)) {              /* the usual case, inline: a lone server */
        ep->q.head = ep->q.tail = th;
        th->rq_next = th->rq_prev = 0;
    } else {
        tqueue_push(&ep->q, th);
    }
    th->state = TH_BLOCKED_RECV;
    th->blocked_on = ep;
    th->ipc_slot = c->rdi;
    th->task->receives++;
    th->caller = 0;
    fast_copy(&caller->ctx, c, 0);
    if (th->session_map)
        session_unmap(th);                  /* the caller's region, from th */
    caller->state = TH_RUNNABLE;
    caller->blocked_on = 0;
    sched_run(caller);
}
