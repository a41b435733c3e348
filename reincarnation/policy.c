/* Restart policy decisions (see policy.h). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"

#define MIN_HEARTBEAT_MS 10

const struct policy policy_default = {
    .type = RESTART_PERMANENT,
    .max_restarts = 5,
    .window_ms = 10000,
    .backoff_base_ms = 100,
    .backoff_cap_ms = 30000,
    .init_retries = 3,
    .escalate = ESCALATE_DEGRADE,
    .heartbeat_ms = 0,
    .heartbeat_misses = 2,
    .init_timeout_ms = 5000,
};

uint64_t policy_backoff(const struct policy *p, unsigned k)
{
    if (k == 0)
        return 0;
    uint64_t d = p->backoff_base_ms;
    for (unsigned i = 1; i < k && d < p->backoff_cap_ms; i++)
        d *= 2;
    return d < p->backoff_cap_ms ? d : p->backoff_cap_ms;
}

/* Forgets restarts that left the window. */
static void expire(const struct policy *p, struct policy_history *h, uint64_t now)
{
    unsigned keep = 0;
    for (unsigned i = 0; i < h->nrestarts; i++)
        if (now - h->restarts[i] < p->window_ms)
            h->restarts[keep++] = h->restarts[i];
    h->nrestarts = keep;
    if (h->escalated && now - h->escalated_ms >= p->window_ms)
        h->escalated = 0;
}

static void record(struct policy_history *h, uint64_t now)
{
    if (h->nrestarts == POLICY_HISTORY) {
        for (unsigned i = 1; i < POLICY_HISTORY; i++)
            h->restarts[i - 1] = h->restarts[i];
        h->nrestarts--;
    }
    h->restarts[h->nrestarts++] = now;
}

static unsigned intensity(const struct policy *p)
{
    return p->max_restarts < POLICY_HISTORY ? p->max_restarts : POLICY_HISTORY;
}

/* Too many failures: the escalation the policy declares. */
static struct decision escalate(const struct policy *p, struct policy_history *h,
                                uint64_t now, const char *why)
{
    if (p->escalate == ESCALATE_STOP_DEPENDENTS)
        return (struct decision){ ACT_STOP_DEPENDENTS, 0, why };
    if (p->escalate == ESCALATE_RESTART_DEPENDENTS && !h->escalated) {
        h->escalated = 1;
        h->escalated_ms = now;
        h->nrestarts = 0;
        h->init_failures = 0;
        return (struct decision){ ACT_RESTART_DEPENDENTS, p->backoff_base_ms, why };
    }
    return (struct decision){ ACT_DEGRADE, 0, why };
}

struct decision policy_decide(const struct policy *p, struct policy_history *h,
                              enum failure f, int in_init, uint64_t now_ms)
{
    if (f == FAIL_KILLED)
        return (struct decision){ ACT_RESTART, 0, "restart requested" };
    if (p->type == RESTART_TEMPORARY)
        return (struct decision){ ACT_STOP, 0, "temporary service" };
    if (p->type == RESTART_TRANSIENT && f == FAIL_EXIT_OK)
        return (struct decision){ ACT_STOP, 0, "transient service exited normally" };
    expire(p, h, now_ms);
    if (in_init && ++h->init_failures > p->init_retries)
        return escalate(p, h, now_ms, "fails during initialisation");
    if (h->nrestarts >= intensity(p))
        return escalate(p, h, now_ms, "restart intensity exceeded");
    uint64_t delay = policy_backoff(p, in_init ? h->init_failures - 1 : h->nrestarts);
    record(h, now_ms);
    return (struct decision){ ACT_RESTART, delay, in_init ? "failed in initialisation"
                                                           : "restart by policy" };
}

void policy_ready(struct policy_history *h)
{
    h->init_failures = 0;
}

const char *policy_check(const struct policy *p)
{
    if (p->type > RESTART_TEMPORARY)
        return "unknown restart type";
    if (p->escalate > ESCALATE_STOP_DEPENDENTS)
        return "unknown escalation";
    if (p->max_restarts > POLICY_HISTORY)
        return "max_restarts above 32";
    if (p->window_ms == 0)
        return "window_ms is 0";
    if (p->backoff_cap_ms < p->backoff_base_ms)
        return "backoff cap below its base";
    if (p->heartbeat_ms && p->heartbeat_ms < MIN_HEARTBEAT_MS)
        return "heartbeat period below 10 ms";
    if (p->heartbeat_ms && p->heartbeat_misses == 0)
        return "heartbeat_misses is 0";
    if (p->init_timeout_ms == 0)
        return "init_timeout_ms is 0";
    return NULL;
}

const char *policy_action_name(enum action a)
{
    static const char *const names[] = { "restart", "stop", "degrade", "restart-dependents",
                                         "stop-dependents" };
    return a <= ACT_STOP_DEPENDENTS ? names[a] : "?";
}

const char *policy_failure_name(enum failure f)
{
    static const char *const names[] = { "crash", "hang", "exit-error", "exit", "killed" };
    return f <= FAIL_KILLED ? names[f] : "?";
}

static int pick(const char *v, size_t n, const char *const *names, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (strlen(names[i]) == n && !strncmp(v, names[i], n))
            return (int)i;
    return -1;
}

/* Sets one key of p from the value v[0..n); NULL or what is wrong. */
static const char *set_key(struct policy *p, const char *k, size_t klen, const char *v,
                           size_t n)
{
    static const char *const types[] = { "permanent", "transient", "temporary" };
    static const char *const escalations[] = { "degrade", "restart-dependents",
                                               "stop-dependents" };
    static const struct { const char *key; size_t off; int is_unsigned; } nums[] = {
        { "max", offsetof(struct policy, max_restarts), 1 },
        { "window", offsetof(struct policy, window_ms), 0 },
        { "base", offsetof(struct policy, backoff_base_ms), 0 },
        { "cap", offsetof(struct policy, backoff_cap_ms), 0 },
        { "init_retries", offsetof(struct policy, init_retries), 1 },
        { "heartbeat", offsetof(struct policy, heartbeat_ms), 0 },
        { "misses", offsetof(struct policy, heartbeat_misses), 1 },
        { "init_timeout", offsetof(struct policy, init_timeout_ms), 0 },
    };
    int i;
    if (klen == 4 && !strncmp(k, "type", 4))
        return (i = pick(v, n, types, 3)) < 0 ? "type is permanent, transient or temporary"
                                              : (p->type = (enum restart_type)i, NULL);
    if (klen == 8 && !strncmp(k, "escalate", 8))
        return (i = pick(v, n, escalations, 3)) < 0 ? "unknown escalation"
                                                    : (p->escalate = (enum escalation)i, NULL);
    for (unsigned j = 0; j < sizeof nums / sizeof nums[0]; j++) {
        if (strlen(nums[j].key) != klen || strncmp(k, nums[j].key, klen))
            continue;
        char *end;
        unsigned long long x = strtoull(v, &end, 10);
        if (n == 0 || end != v + n || x > 0xFFFFFFFFull)
            return "a value is not a number below 2^32";
        if (nums[j].is_unsigned)
            *(unsigned *)((char *)p + nums[j].off) = (unsigned)x;
        else
            *(uint64_t *)((char *)p + nums[j].off) = x;
        return NULL;
    }
    return "unknown policy key";
}

const char *policy_override(struct policy *p, const char *spec)
{
    struct policy q = *p;
    while (*spec) {
        size_t len = strcspn(spec, ",+"), klen = strcspn(spec, "=");
        if (klen >= len)
            return "expected key=value";
        const char *bad = set_key(&q, spec, klen, spec + klen + 1, len - klen - 1);
        if (bad)
            return bad;
        spec += len + (spec[len] != '\0');
    }
    const char *bad = policy_check(&q);
    if (!bad)
        *p = q;
    return bad;
}
