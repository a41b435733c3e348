/* Plans of faults the target makes itself (see remote.h). */
#include <resurgo/calls.h>
#include <resurgo/errors.h>
#include <resurgo/objects.h>
#include "remote.h"

#define STACK_REACH 256             /* a bogus buffer starts this far below RSP */

int fi_remote_start(struct fi_remote *p, enum fi_type t, uint64_t *rng)
{
    if (t != FI_BOGUS_IPC && t != FI_EXHAUST)
        return -1;
    *p = (struct fi_remote){ .type = t, .pages = FI_EXHAUST_FIRST_PAGES,
                             .slot = FI_EXHAUST_SLOT_TOP };
    p->max = t == FI_BOGUS_IPC ? 1 + (unsigned)(fi_random(rng) % FI_BOGUS_CALLS)
                               : FI_EXHAUST_CALLS;
    return 0;
}

/* A call with a random label (mostly a small one, as protocols use), words and
 * slot; a quarter of them claim a buffer described by bytes on the stack. */
static void bogus_call(uint64_t *rng, struct rs_debug_regs *r)
{
    uint64_t *words[RS_MSG_WORDS] = { &r->rdx, &r->r10, &r->r8, &r->r9, &r->r12, &r->r13 };
    uint64_t x = fi_random(rng);
    uint64_t label = x & 1 ? (x >> 8) % 16 : (uint32_t)(x >> 8);
    r->rax = RS_SYS_CALL;
    r->rdi = fi_random(rng) % FI_BOGUS_SLOTS;
    r->rsi = label | ((x & 6) == 6 ? RS_MSG_BUFFER : 0);
    for (int i = 0; i < RS_MSG_WORDS; i++)
        *words[i] = fi_random(rng);
    r->r14 = FI_BOGUS_TIMEOUT_MS;
    r->rbx = (x & 6) == 6 ? r->rsp - STACK_REACH : 0;
}

static void exhaust_call(const struct fi_remote *p, struct rs_debug_regs *r)
{
    r->rax = RS_SYS_INVOKE;
    r->rdi = RS_SLOT_QUOTA;
    r->rsi = RS_OP_QUOTA_CREATE;
    r->rdx = RS_OBJ_FRAME;
    r->r10 = p->slot;
    r->r8 = p->pages;
    r->r14 = 0;
    r->rbx = 0;
}

int fi_remote_next(struct fi_remote *p, uint64_t *rng, struct rs_debug_regs *r)
{
    if (p->calls >= p->max)
        return 0;
    if (p->type == FI_EXHAUST) {
        if (p->pages == 0 || p->slot < RS_SLOT_FIRST_FREE)
            return 0;
        exhaust_call(p, r);
    } else {
        bogus_call(rng, r);
    }
    p->calls++;
    return 1;
}

void fi_remote_result(struct fi_remote *p, uint64_t rax)
{
    if (rax == RS_OK)
        p->ok++;
    else
        p->refused++;
    if (p->type != FI_EXHAUST)
        return;
    if (rax == RS_OK) {
        p->pages_taken += p->pages;
        p->slot--;
    } else if (rax == RS_E_EXISTS) {
        p->slot--;                  /* an occupied slot: the next one down */
    } else {
        p->pages /= 2;              /* quota or memory: a smaller frame */
    }
}
