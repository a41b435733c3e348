/* Notifications: a word of pending bits; signal ORs bits in, wait takes them all. */
#include "ipc.h"
#include "sched.h"
#include "syscall.h"

void notify_bits(struct notification *n, uint64_t bits)
{
    n->word |= bits;
    if (!n->word || !n->q.head)
        return;
    struct thread *w = n->q.head;
    w->ctx.rdx = n->word;
    n->word = 0;
    thread_wake(w, E_OK);
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
        thread_wake_capfault(n->q.head, RS_OBJ_NOTIFICATION);
}
