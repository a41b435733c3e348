/* Restart policy: what RS does when a service fails. Pure logic (no system calls),
 * unit-tested on the host (tests/unit/test_policy.c).
 *
 * The policy is a superset of MINIX 3's RS (immediate restart, then exponential
 * back-off), Erlang/OTP supervisors (restart type, intensity within a period,
 * escalation), systemd (Restart=, StartLimitBurst/IntervalSec) and QNX HAM
 * (actions on a missed heartbeat):
 *   - type: permanent (always restarted), transient (restarted unless it exited
 *     with status 0), temporary (never restarted);
 *   - intensity: at most max_restarts restarts within window_ms; one more is
 *     escalated (below);
 *   - back-off: the first restart in the window is immediate, the k-th waits
 *     base_ms * 2^(k-1), at most cap_ms;
 *   - initialisation: a service that fails before it reports ready is retried
 *     init_retries times, with the same back-off, then escalated: never a silent
 *     give-up, never a tight loop;
 *   - escalation: stop it and mark the system degraded; or restart its
 *     dependents with it (once per window; a second escalation in the window
 *     degrades); or stop its dependents too.
 * Times are milliseconds of the caller's clock (rs_time_ms()). */
#pragma once
#include <stdint.h>

enum restart_type { RESTART_PERMANENT, RESTART_TRANSIENT, RESTART_TEMPORARY };

enum escalation {
    ESCALATE_DEGRADE,           /* stop it; the system runs degraded */
    ESCALATE_RESTART_DEPENDENTS,/* restart it and everything that depends on it */
    ESCALATE_STOP_DEPENDENTS,   /* stop it and everything that depends on it */
};

struct policy {
    enum restart_type type;
    unsigned max_restarts;      /* intensity: restarts allowed within window_ms */
    uint64_t window_ms;
    uint64_t backoff_base_ms, backoff_cap_ms;
    unsigned init_retries;      /* failures before ready, in a row */
    enum escalation escalate;
    uint64_t heartbeat_ms;      /* 0: not watched for hangs */
    unsigned heartbeat_misses;  /* periods without a heartbeat that mean a hang */
    uint64_t init_timeout_ms;   /* from start to ready, else a hang in init */
};

/* What the policy of a service with no declared one is. */
extern const struct policy policy_default;

#define POLICY_HISTORY 32       /* restart times kept: max_restarts is clipped to it */

/* What the policy remembers of one service's failures. Zero-initialised. */
struct policy_history {
    uint64_t restarts[POLICY_HISTORY];  /* times of restarts in the window, oldest first */
    unsigned nrestarts;
    unsigned init_failures;     /* consecutive failures before ready */
    uint64_t escalated_ms;      /* when it was last escalated with a restart */
    int escalated;
};

enum failure {
    FAIL_CRASH,                 /* CPU exception or page fault */
    FAIL_HANG,                  /* missed heartbeats, or no ready in time */
    FAIL_EXIT_ERROR,            /* exited with a non-zero status */
    FAIL_EXIT_OK,               /* exited with status 0 */
    FAIL_KILLED,                /* stopped and started again on request */
};

enum action {
    ACT_RESTART,                /* restart after delay_ms */
    ACT_STOP,                   /* leave it stopped (its type says so); not an error */
    ACT_DEGRADE,                /* stop it; the system is degraded */
    ACT_RESTART_DEPENDENTS,     /* restart it and its dependents after delay_ms */
    ACT_STOP_DEPENDENTS,        /* stop it and its dependents; degraded */
};

struct decision {
    enum action action;
    uint64_t delay_ms;
    const char *why;            /* one phrase for the event log */
};

/* Decides what to do about a failure at now_ms; in_init says it had not reported
 * ready. Records the restart it decides on in h. */
struct decision policy_decide(const struct policy *p, struct policy_history *h,
                              enum failure f, int in_init, uint64_t now_ms);

/* The service reported ready: its initialisation failures are forgiven. */
void policy_ready(struct policy_history *h);

/* The delay before the k-th restart in a window (k = 0: immediate). */
uint64_t policy_backoff(const struct policy *p, unsigned k);

/* Checks a policy for values RS cannot honour; NULL if fine, else what is wrong. */
const char *policy_check(const struct policy *p);

/* Changes p by spec, key=value pairs separated by ',' or '+' (QEMU's -initrd
 * splits module lists at commas): type=permanent|transient|
 * temporary, max=N, window=MS, base=MS, cap=MS, init_retries=N,
 * escalate=degrade|restart-dependents|stop-dependents, heartbeat=MS, misses=N,
 * init_timeout=MS. Returns NULL, or what is wrong (p is then unchanged). */
const char *policy_override(struct policy *p, const char *spec);

const char *policy_action_name(enum action a);
const char *policy_failure_name(enum failure f);
