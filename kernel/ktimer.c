/* Timer objects (see ktimer.h). */
#include "cap.h"
#include "ipc.h"
#include "ktimer.h"
#include "sched.h"
#include "syscall.h"

/* The longest first delay or period: far enough for anyone, small enough that a
 * deadline can never wrap. */
#define KTIMER_MAX_MS (1ull << 48)

static void disarm(struct ktimer_obj *t)
{
    sched_timer_del(&t->node);
    if (t->notify)
        kobj_unref(&t->notify->obj);
    t->notify = 0;
}

void ktimer_fire(struct ktimer_obj *t, uint64_t now)
{
    t->fired++;
    if (!t->notify->obj.dead)
        notify_bits(t->notify, t->bits);
    if (!t->period) {
        disarm(t);
        return;
    }
    uint64_t next = t->node.deadline + t->period;
    if (next <= now) {              /* late: skip the periods already gone */
        uint64_t skipped = (now - next) / t->period + 1;
        t->missed += skipped;
        next += skipped * t->period;
    }
    t->node.deadline = next;
    sched_timer_add(&t->node);
}

void ktimer_kill(struct ktimer_obj *t)
{
    disarm(t);
}

/* set: A0 notification (WRITE), A1 bits (not 0), A2 first delay in ms (>= 1),
 * A3 period in ms (0: once). Replaces any earlier setting. */
static err_t ktimer_set(struct thread *th, struct ktimer_obj *t)
{
    struct cap *n;
    err_t e = sys_cap(th, SYS_A0(th), RS_OBJ_NOTIFICATION, RS_RIGHT_WRITE, &n);
    if (e)
        return e;
    uint64_t bits = SYS_A1(th), first = SYS_A2(th), period = SYS_A3(th);
    if (!bits || !first)
        return E_INVAL;
    if (first > KTIMER_MAX_MS || period > KTIMER_MAX_MS)
        return E_RANGE;
    disarm(t);
    t->notify = (struct notification *)n->obj;
    kobj_ref(n->obj);
    t->bits = bits;
    t->period = period;
    t->fired = t->missed = 0;
    t->node.kind = TQ_TIMER;
    t->node.deadline = sched_now_ms() + first;
    sched_timer_add(&t->node);
    return E_OK;
}

void ktimer_invoke(struct thread *th, struct cap *c, uint64_t op)
{
    struct ktimer_obj *t = (struct ktimer_obj *)c->obj;
    err_t e = (c->rights & RS_RIGHT_MANAGE) ? E_OK : E_RIGHTS;
    if (!e && op == RS_OP_TIMER_SET) {
        e = ktimer_set(th, t);
    } else if (!e && op == RS_OP_TIMER_CANCEL) {
        disarm(t);
    } else if (!e && op == RS_OP_TIMER_INFO) {
        uint64_t now = sched_now_ms();
        SYS_A0(th) = t->fired;
        SYS_A1(th) = t->node.queued ? t->node.deadline - now : 0;
        SYS_A2(th) = t->missed;
    } else if (!e) {
        e = E_NOSYS;
    }
    if (e != E_CAPFAULT)
        sys_result(th, e);
}
