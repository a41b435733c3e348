/* Notifications: a word of pending bits; signal ORs bits in, wait takes them all. */
#include "ipc.h"
#include "sched.h"
#include "syscall.h"

/* Writes the pending bits into th's registers as a received message. */
static void take_bits(struct notification *n, struct thread *th, int as_message)
{
    th->ctx.rdx = n->word;
    n->word = 0;
    if (as_message) {
        th->ctx.rdi = 0;
        th->ctx.rsi = RS_LABEL_NOTIFY;
    }
}

void notify_bits(struct notification *n, uint64_t bits)
{
    n->word |= bits;
    if (!n->word)
        return;
    struct thread *w = n->q.head;
    if (w) {
        take_bits(n, w, 0);
        thread_wake(w, E_OK);
    } else if (n->bound_thread && n->bound_thread->state == TH_BLOCKED_RECV) {
        w = n->bound_thread;
        take_bits(n, w, 1);
        thread_wake(w, E_OK);
    }
}

err_t notify_bind(struct notification *n, struct thread *th)
{
    if (n->bound_thread || th->bound)
        return E_BUSY;
    n->bound_thread = th;
    th->bound = n;
    kobj_ref(&n->obj);
    return E_OK;
}

void notify_unbind(struct thread *th)
{
    struct notification *n = th->bound;
    if (!n)
        return;
    n->bound_thread = 0;
    th->bound = 0;
    kobj_unref(&n->obj);
}

int notify_take_bound(struct thread *th)
{
    struct notification *n = th->bound;
    if (!n || n->obj.dead || !n->word)
        return 0;
    take_bits(n, th, 1);
    th->ctx.rax = E_OK;
    return 1;
}

void notify_signal(struct thread *th)
{
    struct cap *c;
    if (sys_cap(th, SYS_SLOT(th), RS_OBJ_NOTIFICATION, RS_RIGHT_WRITE, &c))
        return;
    sys_result(th, E_OK);
    notify_bits((struct notification *)c->obj, SYS_A0(th) | c->badge);
}

void notify_wait(struct thread *th)
{
    struct cap *c;
    if (sys_cap(th, SYS_SLOT(th), RS_OBJ_NOTIFICATION, RS_RIGHT_READ, &c))
        return;
    struct notification *n = (struct notification *)c->obj;
    if (n->word) {
        th->ctx.rdx = n->word;
        n->word = 0;
        sys_result(th, E_OK);
        return;
    }
    if (SYS_TIMEOUT(th) == RS_TIMEOUT_POLL) {
        sys_result(th, E_TIMEOUT);
        return;
    }
    th->ipc_slot = SYS_SLOT(th);
    tqueue_push(&n->q, th);
    th->state = TH_BLOCKED_NOTIFY;
    th->blocked_on = n;
    sched_timeout_arm(th, SYS_TIMEOUT(th));
}

void notification_kill(struct notification *n)
{
    while (n->q.head)
        thread_wake_capfault(n->q.head, &n->obj, RS_CAPFAULT_NOT_DELIVERED);
}
