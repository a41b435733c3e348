/* Synchronous IPC (see ipc.h). Call and reply-receive switch straight to the
 * partner thread when it may run next; everything else goes through the run queue. */
#include "ipc.h"
#include "ipc_xfer.h"
#include "sched.h"
#include "session.h"
#include "syscall.h"
#include "task.h"

/* Blocks th on ep's queue as a sender or receiver, unless the timeout is "poll". */
static void ep_block(struct thread *th, struct endpoint *ep, int receiving,
                     enum thread_state state)
{
    uint64_t timeout = SYS_TIMEOUT(th);
    if (timeout == RS_TIMEOUT_POLL) {
        sys_result(th, E_TIMEOUT);
        return;
    }
    ep->receivers = (uint8_t)receiving;
    tqueue_push(&ep->q, th);
    th->state = state;
    th->blocked_on = ep;
    sched_timeout_arm(th, timeout);
}

/* Takes the first waiting receiver (receivers = 1) or sender (0), or NULL. */
static struct thread *ep_take(struct endpoint *ep, int receivers)
{
    if (!ep->q.head || ep->receivers != receivers)
        return 0;
    struct thread *th = tqueue_pop(&ep->q);
    sched_timeout_cancel(th);
    th->blocked_on = 0;
    return th;
}

/* s's call reaches server r through ep: r must answer s, with the call's session
 * region (if any) in its window. A bounded call's timeout also bounds the wait
 * for the reply (counted afresh from here); a kernel notice waits forever. */
static void bind_call(struct thread *s, struct thread *r, struct endpoint *ep)
{
    r->caller = s;
    if (ep)
        session_map(r, session_of_call(s, ep));
    s->state = TH_BLOCKED_REPLY;
    s->blocked_on = r;
    if (!s->kmsg_pending)
        sched_timeout_arm(s, SYS_TIMEOUT(s));
}

static void ep_send(struct thread *th, struct cap *c, int is_call)
{
    struct endpoint *ep = (struct endpoint *)c->obj;
    err_t e = ipc_check_label(th);
    if (!e)
        e = ipc_check_extra(th, c, 1);
    if (e) {
        sys_result(th, e);
        return;
    }
    th->ipc_slot = SYS_SLOT(th);
    th->ipc_badge = c->badge;
    th->ipc_is_call = (uint8_t)is_call;
    struct thread *r = ep_take(ep, 1);
    if (!r) {
        ep_block(th, ep, 0, TH_BLOCKED_SEND);
        return;
    }
    ipc_deliver(th, r, c->badge);
    if (!is_call) {
        sys_result(th, E_OK);
        thread_ready(r);
        return;
    }
    bind_call(th, r, ep);
    if (!thread_may_run(r)) {
        thread_ready(r);            /* suspended until its task resumes */
        return;
    }
    r->state = TH_RUNNABLE;
    sched_direct(r);
}

void ipc_call(struct thread *th)
{
    struct cap *c;
    if (!sys_cap(th, SYS_SLOT(th), RS_OBJ_ENDPOINT, RS_RIGHT_WRITE, &c))
        ep_send(th, c, 1);
}

/* Receives on the endpoint in c; the server th has no caller pending. */
static void ep_recv(struct thread *th, struct cap *c)
{
    struct endpoint *ep = (struct endpoint *)c->obj;
    struct thread *s = ep_take(ep, 0);
    th->ipc_slot = SYS_SLOT(th);
    th->task->receives++;
    if (!s) {
        if (!notify_take_bound(th))
            ep_block(th, ep, 1, TH_BLOCKED_RECV);
        return;
    }
    ipc_deliver(s, th, s->ipc_badge);
    if (s->ipc_is_call) {
        bind_call(s, th, ep);
    } else {
        sys_result(s, E_OK);
        thread_ready(s);
    }
}

void ipc_recv(struct thread *th)
{
    struct cap *c;
    if (sys_cap(th, SYS_SLOT(th), RS_OBJ_ENDPOINT, RS_RIGHT_READ, &c))
        return;
    if (th->caller) {
        sys_result(th, E_BUSY);     /* answer (or save) the pending call first */
        return;
    }
    ep_recv(th, c);
}

/* Answers caller c with th's message. Returns c if it may run now (it is then
 * runnable and on no queue), NULL otherwise: the answer ended a kernel notice
 * (which can kill th's own task: callers check th->state afterwards), or c's task
 * is stopped. */
static struct thread *answer(struct thread *th, struct thread *c)
{
    c->blocked_on = 0;
    sched_timeout_cancel(c);
    if (c->kmsg_pending) {
        c->kmsg_pending = 0;
        task_notice_answered(c);
        return 0;
    }
    ipc_deliver(th, c, 0);
    if (!thread_may_run(c)) {
        thread_ready(c);            /* suspended until its task resumes */
        return 0;
    }
    c->state = TH_RUNNABLE;
    return c;
}

/* Answers the caller in *holder (a thread's pending call, or a reply object's)
 * with th's message, which may go through capability `via` (NULL: th's own). */
static void reply_through(struct thread *th, struct thread **holder, struct cap *via)
{
    struct thread *caller = *holder;
    err_t e = caller ? ipc_check_extra(th, via, 0) : E_NOENT;
    if (e) {
        sys_result(th, e);
        return;
    }
    *holder = 0;
    sys_result(th, E_OK);
    kobj_ref(&th->obj);             /* the answer may end th's own task */
    struct thread *woken = answer(th, caller);
    if (holder == &th->caller)
        session_unmap(th);          /* after the answer: its buffer may be in the region */
    if (woken)
        sched_enqueue(woken);
    kobj_unref(&th->obj);
}

void ipc_send(struct thread *th)
{
    struct cap *c;
    if (sys_cap(th, SYS_SLOT(th), RS_OBJ_NONE, RS_RIGHT_WRITE, &c))
        return;
    if (c->obj->type == RS_OBJ_ENDPOINT) {
        ep_send(th, c, 0);
        return;
    }
    if (c->obj->type != RS_OBJ_REPLY) {
        sys_result(th, E_TYPE);
        return;
    }
    reply_through(th, &((struct reply *)c->obj)->caller, c);
}

void ipc_reply(struct thread *th)
{
    reply_through(th, &th->caller, 0);
}

void ipc_reply_recv(struct thread *th)
{
    struct cap *c;
    if (sys_cap(th, SYS_SLOT(th), RS_OBJ_ENDPOINT, RS_RIGHT_READ, &c))
        return;
    struct thread *woken = 0;
    if (th->caller) {
        err_t e = ipc_check_extra(th, 0, 0);
        if (e) {
            sys_result(th, e);
            return;
        }
        struct thread *caller = th->caller;
        th->caller = 0;
        kobj_ref(&th->obj);         /* the answer may end th's own task */
        woken = answer(th, caller);
        session_unmap(th);
        int gone = th->state == TH_DEAD;
        kobj_unref(&th->obj);
        if (gone)
            return;
        if (sys_cap(th, SYS_SLOT(th), RS_OBJ_ENDPOINT, RS_RIGHT_READ, &c)) {
            if (woken)
                sched_enqueue(woken);
            return;                 /* the endpoint died with the answer */
        }
    }
    ep_recv(th, c);
    if (!woken)
        return;
    if (th->state == TH_RUNNABLE)
        sched_enqueue(woken);
    else
        sched_direct(woken);
}

void ipc_reply_save(struct thread *th)
{
    struct task *t = th->task;
    struct kobj *o;
    err_t e = th->caller ? E_OK : E_NOENT;
    if (!e)
        e = kobj_create_cap(RS_OBJ_REPLY, t, t->quota, 0, &t->cspace, SYS_SLOT(th),
                            RS_RIGHT_WRITE, &o);
    if (e) {
        sys_result(th, e);
        return;
    }
    struct reply *r = (struct reply *)o;
    r->caller = th->caller;
    r->caller->blocked_on = r;
    th->caller = 0;
    session_unmap(th);              /* a deferred reply holds no region */
    sys_result(th, E_OK);
}

void ipc_kernel_call(struct thread *th, struct endpoint *ep, uint64_t badge,
                     uint32_t label, const uint64_t words[6])
{
    for (int i = 0; i < 6; i++)
        th->kmsg[i] = words[i];
    th->kmsg_label = label;
    th->kmsg_pending = 1;
    th->ipc_is_call = 1;
    th->ipc_badge = badge;
    th->ipc_slot = 0;
    struct thread *r = ep_take(ep, 1);
    if (!r) {
        ep->receivers = 0;
        tqueue_push(&ep->q, th);
        th->state = TH_BLOCKED_SEND;
        th->blocked_on = ep;
        return;
    }
    ipc_deliver(th, r, badge);
    bind_call(th, r, 0);
    thread_ready(r);
}

void endpoint_kill(struct endpoint *ep)
{
    while (ep->q.head)
        thread_wake_capfault(ep->q.head, &ep->obj, RS_CAPFAULT_NOT_DELIVERED);
}

/* The caller was delivered. Its last reply capability deleted while the server
 * lives is a dropped reply; anything else (the server died) is a capability fault. */
void reply_kill(struct reply *r)
{
    struct thread *c = r->caller;
    if (!c)
        return;
    r->caller = 0;
    if (r->obj.cause == KOBJ_LAST_CAP)
        thread_wake_dropped(c);
    else
        thread_wake_capfault(c, &r->obj, RS_CAPFAULT_DELIVERED);
}
