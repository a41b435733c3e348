/* svc list and svc status text (see report.h). */
#include <stdarg.h>
#include <stdio.h>
#include <rsys.h>
#include <rs_invoke.h>
#include "lifecycle.h"
#include "report.h"

static char text[RS_BUFFER_MAX];
static size_t used;

static void add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void add(const char *fmt, ...)
{
    if (used >= sizeof text - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text + used, sizeof text - used, fmt, ap);
    va_end(ap);
    used += n < 0 ? 0 : (size_t)n < sizeof text - used ? (size_t)n : sizeof text - 1 - used;
}

static const char *latency(int64_t us, char *buf, size_t size)
{
    if (us < 0)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%ld.%03ld", us / 1000, us % 1000);
    return buf;
}

const char *report_list(size_t *len)
{
    uint64_t rs_id = 0;
    used = 0;
    rs_task_info(RS_SLOT_TASK, &rs_id, 0, 0, 0, 0, 0);
    add("%-10s %-9s %4s %5s %8s %8s\n", "NAME", "STATE", "INC", "TASK", "FAILURES", "RESTARTS");
    add("%-10s %-9s %4u %5lu %8u %8u\n", "rs", "running", 1, rs_id, 0, 0);
    for (unsigned i = 0; i < service_count(); i++) {
        const struct service *s = service_at(i);
        int alive = s->state == SVC_RUNNING || s->state == SVC_STARTING;
        add("%-10s %-9s %4u %5lu %8lu %8lu\n", s->def->name, service_state_name(s->state),
            s->incarnation, alive ? s->tid : 0, s->failures, s->restarts);
    }
    if (lifecycle_degraded())
        add("system degraded: a policy gave up on a service (svc status NAME)\n");
    *len = used;
    return text;
}

const char *report_status(const struct service *s, size_t *len)
{
    static const char *const types[] = { "permanent", "transient", "temporary" };
    static const char *const escalations[] = { "degrade", "restart-dependents",
                                               "stop-dependents" };
    const struct policy *p = &s->policy;
    char d[24], r[24];
    used = 0;
    add("%s: %s, incarnation %u, task %lu\n", s->def->name, service_state_name(s->state),
        s->incarnation, s->tid);
    add("  policy: %s, at most %u restarts in %lu ms then %s; back-off %lu..%lu ms; "
        "%u init retries\n", types[p->type], p->max_restarts, p->window_ms,
        escalations[p->escalate], p->backoff_base_ms, p->backoff_cap_ms, p->init_retries);
    if (p->heartbeat_ms)
        add("  heartbeat every %lu ms, hung after %u missed\n", p->heartbeat_ms,
            p->heartbeat_misses);
    else
        add("  no heartbeat\n");
    add("  failures %lu (hangs %lu), restarts %lu\n", s->failures, s->hangs, s->restarts);
    add("  last failure: %s, detected in %s ms, recovered in %s ms\n",
        s->last_reason ? s->last_reason : "none", latency(s->last_detect_us, d, sizeof d),
        latency(s->last_recover_us, r, sizeof r));
    *len = used;
    return text;
}
