/* Faults made when the target reaches them. The injector plants an int3 where
 * the fault is to act and is the target's debugger (debug_attach), so reaching
 * it stops the target and tells the injector, which then makes the fault:
 *   a code fault: the mutated instruction goes in whole and the thread runs it
 *     (reaching it is the fault's activation: one that is never reached was
 *     never activated);
 *   a remote fault (remote.h): the thread executes the plan's system calls, one
 *     at a time, through a `syscall; int3` written in its place, then gets its
 *     code and registers back and runs on.
 * Each activation is one `activated` record on RS's event channel. A breakpoint
 * or step the injector did not plant ends the thread as a crash would (its RIP is
 * sent to an unmapped page), so RS sees the failure. One fault is armed at a
 * time. The same breakpoints measure coverage: which sites a workload reaches
 * (the campaign draws code faults from those). */
#pragma once
#include <stdint.h>
#include <rs_server.h>
#include "mutate.h"
#include "remote.h"

#define FI_CRASH_ADDRESS 0x1000     /* user space, never mapped */

/* What the armed fault is, for its records. */
struct fi_armed_info {
    char service[32];
    enum fi_type type;
    uint64_t seed;
};

/* Slots: the debug capability over the target, and the injector's endpoint
 * minted with the notice badge (the kernel sends breakpoints there). */
void fi_trigger_init(uint64_t target_slot, uint64_t notice_slot);
uint64_t fi_trigger_notice_badge(void);

/* Whether a remote fault is running now (a new fault must wait: RS_E_BUSY). */
int fi_trigger_busy(void);
/* Forgets the armed fault: a code fault never reached has its original
 * instruction put back if the target still lives. */
void fi_trigger_disarm(void);

/* Arms code fault `after` (len bytes, `before` now there) at site in the
 * stopped target: writes it with an int3 as its first byte. */
uint64_t fi_trigger_arm_code(const struct fi_armed_info *what, uint64_t site,
                             const uint8_t *before, const uint8_t *after, unsigned len);
/* Arms remote fault type at the place thread 0 of the stopped target stands
 * (its RIP, returned in *site): the plan is drawn from *rng. */
uint64_t fi_trigger_arm_remote(const struct fi_armed_info *what, uint64_t *rng,
                               uint64_t *site);

/* Coverage: an int3 at every site of tab in the stopped target; each the target
 * reaches is put back and recorded. Returns 0, or an error (nothing planted). */
uint64_t fi_trigger_cover(const struct fi_armed_info *what, const struct fi_table *tab);
/* Ends coverage: puts back the sites never reached and logs the reached ones
 * ("reached SERVICE ADDR ADDR ..." lines, hexadecimal). How many were reached. */
uint64_t fi_trigger_covered(void);

/* The server's notice handler (struct rs_server.notice). */
uint32_t fi_trigger_notice(struct rs_request *r, void *state);
