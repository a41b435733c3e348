/* Capability-fault recovery for clients. A client library registers, per
 * capability slot, the function that re-obtains the capability (into the same
 * slot) and reopens its session. Every generated protocol stub calls through
 * rs_client_call(), which runs that function on a capability fault and retries,
 * so application code sees the fault only when recovery fails. */
#pragma once
#include <stdint.h>
#include <rsys.h>

/* Re-obtains the capability in `slot`; returns 0 on success. */
typedef int (*rs_capfault_fn)(uint64_t slot, void *ctx);

#define RS_CAPFAULT_RETRIES 3

/* Registers fn for slot (replacing any earlier one); fn NULL removes it.
 * Returns -1 when the registry is full. */
int rs_capfault_register(uint64_t slot, rs_capfault_fn fn, void *ctx);

/* Calls the server in slot with m (and x); on a capability fault runs the slot's
 * handler and retries, at most RS_CAPFAULT_RETRIES times. Returns the kernel's
 * error, else the reply's status (its label). The message is restored before a
 * retry, so a retried call is the same call. */
uint64_t rs_client_call(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x);

/* The retry logic itself, over any raw call function (unit-testable). */
typedef uint64_t (*rs_raw_call_fn)(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x);
uint64_t rs_call_with_recovery(rs_raw_call_fn raw, uint64_t slot, struct rs_msg *m,
                               struct rs_ipc_extra *x);

/* How many recoveries ran (successful handler calls), for tests and logs. */
uint64_t rs_capfault_recoveries(void);
