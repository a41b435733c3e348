/* Hang detection and timed work (see watch.h). One one-shot timer is armed for the
 * earliest deadline; heartbeats only move deadlines later, so they never re-arm it. */
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "datastore.h"
#include "lifecycle.h"
#include "watch.h"

#define NTFN_SLOT  14
#define TIMER_SLOT 15
#define CRASH_ADDRESS 0x1000     /* user space, never mapped */

static uint64_t armed_at;          /* ms the timer fires at, 0: not armed */
static uint64_t grace_until;       /* no heartbeat verdicts before this (ms) */

/* RS itself did long work (a spawn, a task destroyed): heartbeats that arrived
 * meanwhile wait in its queue unread, so no service is declared hung for missing
 * them until RS has had time to read them. */
void watch_rs_was_busy(void)
{
    grace_until = rs_time_ms() + WATCH_GRACE_MS;
}

uint64_t watch_init(void)
{
    uint64_t e = rs_create(RS_SLOT_QUOTA, RS_OBJ_NOTIFICATION, NTFN_SLOT, 0);
    if (!e)
        e = rs_create(RS_SLOT_QUOTA, RS_OBJ_TIMER, TIMER_SLOT, 0);
    if (!e)
        e = rs_thread_bind_notification(RS_SLOT_THREAD, NTFN_SLOT);
    return e;
}

void watch_beat(struct service *s, uint64_t now)
{
    uint64_t receives;
    if (rs_task_activity(SVC_TASK_SLOT(s->index), &receives))
        return;                     /* no task to ask: no proof of life either */
    if (receives != s->receives) {
        s->receives = receives;
        s->received_ms = now;
        s->busy_told = 0;
    }
    if (now - s->received_ms <= WATCH_BUSY_MS) {
        s->last_beat_ms = now;
    } else if (!s->busy_told) {
        s->busy_told = 1;
        rs_warn("%s beats but has waited for no request in %lu ms: its beats do not count",
                s->def->name, now - s->received_ms);
    }
}

static uint64_t hang_deadline(const struct service *s)
{
    const struct policy *p = &s->policy;
    if (s->state == SVC_STARTING)
        return s->started_ms + p->init_timeout_ms;
    if (s->state == SVC_RUNNING && s->beat_ms)
        return s->last_beat_ms + s->beat_ms * s->beat_misses;
    return 0;
}

/* Redirects s's first thread, wherever it is, to an unmapped address. */
static uint64_t crash_anywhere(struct service *s)
{
    uint64_t task = SVC_TASK_SLOT(s->index);
    struct rs_debug_regs r;
    uint64_t e = rs_task_debug_stop(task, 0);
    if (!e)
        e = rs_task_debug_get_regs(task, 0, (uint64_t)&r);
    if (!e) {
        r.rip = CRASH_ADDRESS;
        e = rs_task_debug_set_regs(task, 0, (uint64_t)&r);
    }
    uint64_t resumed = rs_task_debug_resume(task, 0);
    return e ? e : resumed;
}

uint64_t watch_crash(struct service *s, uint64_t kind)
{
    if (kind == SVC_CRASH_ANYWHERE) {
        uint64_t sent_tsc = rs_tsc(), e = crash_anywhere(s);
        if (!e && !s->injected_tsc)
            s->injected_tsc = sent_tsc;
        return e;
    }
    struct rs_msg m = { .info = RS_LABEL_CRASH, .w = { kind } };
    uint64_t sent_tsc = rs_tsc();
    uint64_t e = rs_send(SVC_ENDPOINT_SLOT(s->index), &m, RS_TIMEOUT_POLL);
    if (!e && !s->injected_tsc)
        s->injected_tsc = sent_tsc;     /* the first that took effect */
    return e == RS_E_TIMEOUT ? RS_E_BUSY : e;
}

/* Handles what is due for s at now; returns its next deadline (0: none). */
static uint64_t check(struct service *s, uint64_t now)
{
    uint64_t hang = hang_deadline(s);
    if (hang && s->state == SVC_RUNNING && hang < grace_until)
        hang = grace_until;             /* its heartbeats may be waiting in our queue */
    if (hang && now >= hang) {
        int init = s->state == SVC_STARTING;
        lifecycle_failed(s, FAIL_HANG, init ? "init-hang" : "hang", 0,
                         init ? "not ready in time" : "missed its heartbeats");
        hang = hang_deadline(s);
    }
    if (s->hook_pending && now >= s->restart_at_ms)
        lifecycle_hook_expired(s);
    uint64_t next = hang;
    if (s->state == SVC_WAITING && (!next || s->restart_at_ms < next))
        next = s->restart_at_ms;
    return next;
}

static void arm(uint64_t next, uint64_t now)
{
    if (!next || (armed_at && armed_at <= next && armed_at > now))
        return;
    uint64_t delay = next > now ? next - now : 1;
    if (!rs_timer_set(TIMER_SLOT, NTFN_SLOT, 1, delay, 0))
        armed_at = now + delay;
}

void watch_soon(void)
{
    if (!rs_timer_set(TIMER_SLOT, NTFN_SLOT, 1, 1, 0))
        armed_at = rs_time_ms() + 1;
}

void watch_tick(void)
{
    uint64_t now = rs_time_ms(), next = 0;
    if (armed_at && now >= armed_at)
        armed_at = 0;
    if (datastore_declare_pending()) {     /* long work: beats may be queued */
        watch_rs_was_busy();
        now = rs_time_ms();
    }
    lifecycle_schedule();               /* back-offs that are over */
    for (unsigned i = 0; i < service_count(); i++) {
        uint64_t d = check(service_at(i), now);
        if (d && (!next || d < next))
            next = d;
    }
    arm(next, now);
}
