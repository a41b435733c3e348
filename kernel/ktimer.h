/* Timer objects: a one-shot or periodic timer that signals a notification, with
 * 1 ms resolution (the timer tick). A single-threaded server waits for requests,
 * death notices and deadlines at once by binding that notification to its thread
 * (its receives then end with RS_LABEL_NOTIFY when the timer fires). */
#pragma once
#include <stdint.h>
#include "object.h"
#include "timerq.h"

struct notification;

struct ktimer_obj {
    struct kobj obj;
    struct tq_node node;            /* queued while armed */
    struct notification *notify;    /* referenced while armed */
    uint64_t bits;
    uint64_t period;                /* ms; 0: one-shot */
    uint64_t fired;                 /* times it has fired since it was set */
    uint64_t missed;                /* periods skipped because a tick came late */
};

/* From the tick: t's deadline passed at `now`: signal, and re-arm a periodic one
 * for its next period after now. */
void ktimer_fire(struct ktimer_obj *t, uint64_t now);

/* Death action: disarms. */
void ktimer_kill(struct ktimer_obj *t);

struct thread;
struct cap;
/* RS_SYS_INVOKE on a timer (MANAGE): set, cancel, info. */
void ktimer_invoke(struct thread *th, struct cap *c, uint64_t op);
