/* Capability-fault handler registry and the retrying call (see rs_capfault.h). */
#include <rs_capfault.h>
#include <rs_session.h>
#include "rs_libc.h"
#include "rs_lock.h"

#define MAX_HANDLERS 32

struct handler {
    uint64_t slot;
    rs_capfault_fn fn;
    void *ctx;
    rs_lock_t busy;             /* held while this slot is being recovered */
};

static struct handler handlers[MAX_HANDLERS];
static rs_lock_t table_lock;
static uint64_t recoveries;
static uint64_t client_timeout = RS_TIMEOUT_FOREVER;
static uint16_t request_ids[256];   /* per slot: the last request id given */

/* A new request id for slot (never 0). */
static uint64_t next_request_id(uint64_t slot)
{
    uint16_t id;
    do
        id = __atomic_add_fetch(&request_ids[slot & 255], 1, __ATOMIC_RELAXED);
    while (!id);
    return (uint64_t)id << RS_MSG_ID_SHIFT;
}

int rs_capfault_register(uint64_t slot, rs_capfault_fn fn, void *ctx)
{
    struct handler *free_entry = 0;
    int result = 0;
    rs_lock(&table_lock);
    for (int i = 0; i < MAX_HANDLERS; i++) {
        struct handler *h = &handlers[i];
        if (h->fn && h->slot == slot) {
            h->fn = fn;
            h->ctx = ctx;
            goto out;
        }
        if (!h->fn && !free_entry)
            free_entry = h;
    }
    if (fn && !free_entry)
        result = -1;
    else if (fn)
        *free_entry = (struct handler){ .slot = slot, .fn = fn, .ctx = ctx };
out:
    rs_unlock(&table_lock);
    return result;
}

static struct handler *find(uint64_t slot)
{
    struct handler *found = 0;
    rs_lock(&table_lock);
    for (int i = 0; i < MAX_HANDLERS && !found; i++)
        if (handlers[i].fn && handlers[i].slot == slot)
            found = &handlers[i];
    rs_unlock(&table_lock);
    return found;
}

/* Whether slot needs a new capability: it is empty or a tombstone. */
static int slot_lost(uint64_t slot)
{
    uint64_t dead = 0;
    return rs_cap_info(slot, 0, 0, 0, &dead) != 0 || dead;
}

/* Puts a new capability from h into slot, through a fresh slot that replaces the
 * old one only on success. keep: the old one's session region goes on to the new
 * (a capability that cannot take it, its server dead too, is no success: the
 * region stays where it is until one can); *moved says whether one did. Else
 * the region goes with the old capability. 0 on success. Under h->busy. */
static int replace(struct handler *h, uint64_t slot, int keep, int *moved)
{
    uint64_t fresh = rs_slot_alloc();
    int r = fresh ? h->fn(fresh, h->ctx) : -1;
    if (!r && keep) {
        uint64_t e = rs_session_move(fresh, slot);
        r = e && e != RS_E_NOENT && e != RS_E_NOCAP ? -1 : 0;
        *moved = !e;
    }
    if (!r) {
        rs_cap_delete(slot);
        r = rs_cap_move(fresh, slot) ? -1 : 0;
    }
    if (r && fresh)
        rs_cap_delete(fresh);
    if (fresh)
        rs_slot_free(fresh);
    return r;
}

/* Obtains a new capability for slot through h when it has lost its own. Returns
 * 0 when slot holds a live capability after it (another thread may have done
 * the work). */
static int recover(struct handler *h, uint64_t slot, int *moved_region)
{
    int r = 0;
    rs_lock(&h->busy);
    if (slot_lost(slot)) {
        r = replace(h, slot, 1, moved_region);
        if (!r)
            __atomic_add_fetch(&recoveries, 1, __ATOMIC_RELAXED);
    }
    rs_unlock(&h->busy);
    return r;
}

uint64_t rs_session_reset(uint64_t slot)
{
    struct handler *h = find(slot);
    int moved = 0;
    if (!h)
        return RS_E_NOENT;          /* no way to a new capability */
    rs_lock(&h->busy);
    int r = replace(h, slot, 0, &moved);
    rs_unlock(&h->busy);
    return r ? RS_E_CAPFAULT : 0;
}

/* Sleeps before try attempt+1; returns how long. */
static uint64_t backoff(int attempt)
{
    uint64_t ms = 1ull << (attempt < 16 ? attempt : 16);
    ms = ms < RS_CAPFAULT_BACKOFF_MAX_MS ? ms : RS_CAPFAULT_BACKOFF_MAX_MS;
    rs_sleep(ms);
    return ms;
}

uint64_t rs_call_with_recovery(rs_raw_call_fn raw, uint64_t slot, struct rs_msg *m,
                               struct rs_ipc_extra *x, unsigned flags)
{
    if (flags & RS_CALL_ONCE)
        m->info = (m->info & ~RS_MSG_ID_MASK) | next_request_id(slot);
    struct rs_msg request = *m;
    struct rs_ipc_extra extra = x ? *x : (struct rs_ipc_extra){ 0 };
    struct handler *h = find(slot);
    int ever_delivered = 0;
    uint64_t waited = 0, budget = __atomic_load_n(&client_timeout, __ATOMIC_RELAXED);
    for (int attempt = 0;; attempt++) {
        uint64_t e = raw(slot, m, x);
        if (!e)
            return RS_MSG_LABEL(m->info);
        if (!h || (e != RS_E_CAPFAULT && e != RS_E_NOCAP))
            return e;               /* no recovery here, or nothing died */
        int delivered = e == RS_E_CAPFAULT && m->w[0] == RS_CAPFAULT_DELIVERED;
        if (delivered && !(flags & (RS_CALL_IDEMPOTENT | RS_CALL_ONCE)))
            return RS_E_UNKNOWN;    /* it may have taken effect: not run twice */
        ever_delivered |= delivered;
        if (attempt == RS_CAPFAULT_RETRIES || waited >= budget)   /* (a deadline covers
                                                                     recovery too) */
            return ever_delivered && !(flags & RS_CALL_IDEMPOTENT) ? RS_E_UNKNOWN : e;
        int moved_region = 0, failed = recover(h, slot, &moved_region);
        if (delivered && (flags & RS_CALL_ONCE) && !failed && !moved_region
            && !rs_session_pages(slot))
            return RS_E_UNKNOWN;    /* no region to answer it once from (asked only
                                       when another thread did the recovery) */
        if (failed)
            waited += backoff(attempt);
        *m = request;
        if (x)
            *x = extra;
    }
}

static uint64_t raw_call(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x)
{
    return rs_call_x(slot, m, __atomic_load_n(&client_timeout, __ATOMIC_RELAXED), x);
}

void rs_client_set_timeout(uint64_t ms)
{
    __atomic_store_n(&client_timeout, ms, __ATOMIC_RELAXED);
}

uint64_t rs_client_call(uint64_t slot, struct rs_msg *m, struct rs_ipc_extra *x,
                        unsigned flags)
{
    return rs_call_with_recovery(raw_call, slot, m, x, flags);
}

uint64_t rs_capfault_recoveries(void)
{
    return __atomic_load_n(&recoveries, __ATOMIC_RELAXED);
}
