/* Capability-fault recovery for clients. A client library registers, per
 * capability slot, the function that obtains a capability to the server (and
 * reopens its session). Every generated protocol stub calls through
 * rs_client_call(), which retries exactly when that is safe:
 *   - not delivered (the server never saw the request): recover, retry;
 *   - delivered, then the server died: retry only an idempotent call (the stub
 *     says so, from protocols.tbl); otherwise RS_E_UNKNOWN, the outcome unknown;
 *   - a live server dropped the reply: RS_E_DROPPED, never retried.
 * Recovery runs the handler into a fresh slot and moves the result into place
 * only when it succeeded, so a failed recovery leaves the old (dead) capability,
 * and the next call tries again. Attempts back off (1, 2, 4 ... 100 ms) and are
 * bounded. Several threads may call at once: one recovers a slot, the others
 * find it recovered and retry. */
#pragma once
#include <stdint.h>
#include <rsys.h>

/* Obtains a capability to the server into the empty slot `fresh`; 0 on success. */
typedef int (*rs_capfault_fn)(uint64_t fresh, void *ctx);

/* A call whose server died is tried again this often, sleeping 1, 2, 4 .. at most
 * RS_CAPFAULT_BACKOFF_MAX_MS between tries while no new server can be found: about
 * 1 s in all, enough for RS's restart (detection, policy backoff, start). */
#define RS_CAPFAULT_RETRIES 16
#define RS_CAPFAULT_BACKOFF_MAX_MS 100

/* Flags of a call (generated from protocols.tbl). */
#define RS_CALL_IDEMPOTENT 1u   /* running it twice is the same as once */
#define RS_CALL_ONCE 2u         /* not idempotent, to a server that answers each request
                                   id once from the session region (protocols marked
                                   `sessions`): it carries a request id, and after a
                                   crash it is sent again with the same id when the
                                   capability has a session region (else RS_E_UNKNOWN).
                                   One such call at a time per capability. */

/* Registers fn for slot (replacing any earlier one); fn NULL removes it.
 * Returns -1 when the registry is full. */
int rs_capfault_register(uint64_t slot, rs_capfault_fn fn, void *ctx);

/* Calls the server in slot with m (and x), retrying as above. Returns the
 * kernel's error (or RS_E_UNKNOWN), else the reply's status (its label). A
 * retried call sends the original message and extra again. */
uint64_t rs_client_call(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x,
                        unsigned flags);

/* The deadline of every rs_client_call of this component from now on, in ms
 * (RS_TIMEOUT_FOREVER, the default: none). A call that runs past it returns
 * RS_E_TIMEOUT (not retried: nothing died, the server is slow or stuck), for a
 * client that must not wait for ever, such as a campaign's workload; waiting for
 * a dead server to come back stops after as long too. */
void rs_client_set_timeout(uint64_t ms);

/* The retry logic itself, over any raw call function (unit-testable). */
typedef uint64_t (*rs_raw_call_fn)(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x);
uint64_t rs_call_with_recovery(rs_raw_call_fn raw, uint64_t slot, struct rs_msg *m,
                               struct rs_ipc_extra *x, unsigned flags);

/* How many recoveries ran (successful handler calls), for tests and logs. */
uint64_t rs_capfault_recoveries(void);
