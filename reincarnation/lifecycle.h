/* Service life cycle in RS: start in dependency order, record ready, handle a
 * failure by the service's policy, stop on request. */
#pragma once
#include <stdint.h>
#include "service.h"

/* Remembers RS's endpoint and starts every declared service in dependency order. */
void lifecycle_init(uint64_t root_endpoint);
/* rskeep.c: registers what lifecycle keeps; a restarted RS carries on from the kept
 * table (no service started again, heartbeats given a grace). */
void lifecycle_keep(void);
void lifecycle_resume(uint64_t root_endpoint);

/* Starts each wanted service that is due (back-off over) and whose dependencies
 * run. Called after every change. */
void lifecycle_schedule(void);

/* A failure of s (f, a reason word for the event line, when it happened by the
 * kernel's TSC or 0, and free detail): its remains are destroyed, one failure
 * event is logged, and its policy decides what comes next. */
void lifecycle_failed(struct service *s, enum failure f, const char *reason, uint64_t failed_tsc,
                      const char *detail);

/* s reported ready with its endpoint in ep_slot (moved into RS's slot for it), or
 * with 0: a client without an endpoint (it cannot be asked to crash). */
uint64_t lifecycle_ready(struct service *s, uint64_t ep_slot);

/* Stops s for good (until lifecycle_want); why goes into the event line. */
void lifecycle_stop(struct service *s, const char *why);

/* Wants a stopped or failed service running again (its history forgotten). */
void lifecycle_want(struct service *s);

/* init answered the Lua hook for s (HOOK_* action); RS_E_BUSY if not waiting. */
uint64_t lifecycle_hook(struct service *s, uint64_t action, uint64_t delay_ms);

/* init did not answer in time: the policy's decision applies (and is logged). */
void lifecycle_hook_expired(struct service *s);

/* Whether a policy gave up on some service. */
int lifecycle_degraded(void);

/* Microseconds between two TSC readings, EVENT_UNKNOWN if either is 0. */
int64_t lifecycle_us(uint64_t from_tsc, uint64_t to_tsc);
