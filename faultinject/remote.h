/* Faults the target makes itself: the injector stops a thread of the target at a
 * breakpoint and has it execute system calls of the injector's choosing, from
 * the target's own identity (its capabilities, its quota, its badges), then puts
 * everything back and lets it run on. Two kinds:
 *   bogus IPC: up to FI_BOGUS_CALLS calls through random slots of the target's
 *     capability space with random labels, words and (sometimes) a buffer and
 *     extra block taken from its stack: the other services must refuse them;
 *   exhaustion: frames created from the target's quota into its free slots,
 *     halving the size on each refusal, until even one page is refused: the
 *     target runs on with no memory to grow into.
 * Pure: what each call is, from the seed and the result of the one before
 * (host-tested); faultinject/trigger.c makes the calls. */
#pragma once
#include <stdint.h>
#include <resurgo/syscall.h>
#include "mutate.h"

#define FI_BOGUS_CALLS 8
#define FI_BOGUS_TIMEOUT_MS 20      /* a bogus call waits no longer than this */
#define FI_BOGUS_SLOTS 32           /* through slots 0..31, where its capabilities are */
#define FI_EXHAUST_CALLS 64
#define FI_EXHAUST_FIRST_PAGES 4096 /* 16 MiB, halved on each refusal */
#define FI_EXHAUST_SLOT_TOP 255     /* free slots are looked for downwards from here */

struct fi_remote {
    enum fi_type type;
    unsigned calls, max;            /* made so far, most to make */
    unsigned ok, refused;           /* results so far */
    uint64_t pages, slot;           /* exhaustion: next size, next slot */
    uint64_t pages_taken;           /* exhaustion: pages the target now holds */
};

/* A plan for type t (FI_BOGUS_IPC or FI_EXHAUST); 0, or -1 for another type. */
int fi_remote_start(struct fi_remote *p, enum fi_type t, uint64_t *rng);
/* Sets the registers of the next call in r (the rest of r is left as it is):
 * 1, or 0 when the plan is done. rsp is the thread's stack pointer. */
int fi_remote_next(struct fi_remote *p, uint64_t *rng, struct rs_debug_regs *r);
/* Takes the result (RAX) of the call fi_remote_next set up. */
void fi_remote_result(struct fi_remote *p, uint64_t rax);
