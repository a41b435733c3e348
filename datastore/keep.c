/* The data store kept outside itself. RS gives every incarnation of DS the same
 * frame (RS_GIVEN_KEEP) and capability store (RS_GIVEN_STORE), both RS's, so
 * they outlive each incarnation. After every call, before its answer
 * (rs_server .commit), DS copies its whole store into the frame half it did not
 * write last and seals it (sequence number and checksum, the seal written
 * last), and gives the capability store each capability the store holds, at a
 * place fixed by the entry or subscription it belongs to. A new incarnation
 * takes the newest valid half, checks that it holds together, and takes each
 * capability back into a fresh slot of its own. A crash in the middle of a
 * copy leaves the other half; a capability given but not yet in a sealed copy
 * is dropped as unknown, one dropped but still in the copy reads as dead (the
 * store then removes its entry, as for any dead capability). */
#include <string.h>
#include <rs_invoke.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "keep.h"

#define KEEP_VA 0x5EE000000000ull
#define KEEP_MAGIC 0x5045454Bu          /* "KEEP" */
#define KEEP_VERSION 1
#define NCAPS (DS_ENTRIES_MAX + DS_SUBS_MAX)
#define STORE_FIRST 32                   /* the capability store's slot of cap 0 */

struct kept_cap {
    uint64_t rights, badge;              /* to take it back with */
};

struct half {
    uint32_t magic, version;
    uint64_t seq;                        /* which copy is newer */
    uint64_t size;                       /* sizeof(struct ds_store) */
    uint64_t sum;                        /* over everything after it */
    struct kept_cap caps[NCAPS];
    struct ds_store store;
};

_Static_assert(2 * sizeof(struct half) <= DS_KEEP_PAGES * 4096ull,
               "DS_KEEP_PAGES must hold two copies of the store");

static struct half *halves;              /* [2], in the frame; NULL: nothing kept */
static uint64_t seq;
static uint64_t given[NCAPS];            /* DS's slot of the capability store's cap i */

static uint64_t sum_of(const struct half *h)
{
    const uint64_t *w = (const uint64_t *)&h->caps;
    size_t n = (sizeof *h - offsetof(struct half, caps)) / 8;
    uint64_t x = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        x = (x ^ w[i]) * 0x100000001b3ull;
    return x;
}

int keep_open(void)
{
    uint64_t pages = 0, addr = 0;
    if (rs_frame_info(RS_GIVEN_KEEP, &pages, &addr) || pages < DS_KEEP_PAGES
        || rs_frame_map(RS_GIVEN_KEEP, KEEP_VA, RS_MAP_WRITE))
        return -1;
    halves = (struct half *)KEEP_VA;
    return 0;
}

static int half_valid(const struct half *h)
{
    return h->magic == KEEP_MAGIC && h->version == KEEP_VERSION
           && h->size == sizeof(struct ds_store) && h->sum == sum_of(h);
}

/* Where cap i (entries first, then subscriptions) lives in the store, or NULL. */
static uint64_t *cap_of(struct ds_store *s, unsigned i)
{
    if (i < DS_ENTRIES_MAX) {
        struct ds_entry *e = &s->entries[i];
        return e->used && e->type == DS_CAP ? &e->cap : 0;
    }
    struct ds_sub *b = &s->subs[i - DS_ENTRIES_MAX];
    return b->used ? &b->ntfn : 0;
}

/* Takes cap i back into a fresh slot (an empty one if it cannot: it reads dead). */
static uint64_t take_back(unsigned i, const struct kept_cap *k)
{
    uint64_t slot = rs_slot_alloc();
    if (slot && rs_task_take_cap(RS_GIVEN_STORE, STORE_FIRST + i, slot, k->rights, k->badge))
        rs_warn("a kept capability (%u) is gone: it reads as dead", i);
    return slot;
}

int keep_load(struct ds_store *s, const struct ds_env *env)
{
    if (!halves)
        return 0;
    int a = half_valid(&halves[0]), b = half_valid(&halves[1]);
    if (!a && !b)
        return halves[0].magic || halves[1].magic ? -1 : 0;
    const struct half *h = a && (!b || halves[0].seq > halves[1].seq) ? &halves[0] : &halves[1];
    if (!keep_store_valid(&h->store))
        return -1;
    memcpy(s, &h->store, sizeof *s);
    s->env = *env;
    seq = h->seq;
    for (unsigned i = 0; i < NCAPS; i++) {
        uint64_t *slot = cap_of(s, i);
        given[i] = slot ? (*slot = take_back(i, &h->caps[i])) : 0;
        if (!slot)
            rs_task_drop_cap(RS_GIVEN_STORE, STORE_FIRST + i);   /* given, never sealed */
    }
    return 1;
}

void keep_forget(uint64_t slot)
{
    for (unsigned i = 0; halves && i < NCAPS; i++) {
        if (given[i] == slot) {
            rs_task_drop_cap(RS_GIVEN_STORE, STORE_FIRST + i);
            given[i] = 0;
        }
    }
}

/* Gives the capability store cap i if the store holds one it has not got. */
static void give(struct half *h, struct ds_store *s, unsigned i)
{
    uint64_t *slot = cap_of(s, i), kind, rights = 0, badge = 0, dead;
    if (given[i] && (!slot || *slot != given[i]))
        keep_forget(given[i]);
    if (!slot || given[i] == *slot || rs_cap_info(*slot, &kind, &rights, &badge, &dead))
        return;
    if (!rs_task_give_cap(RS_GIVEN_STORE, *slot, STORE_FIRST + i, rights, badge))
        given[i] = *slot;
    h->caps[i] = (struct kept_cap){ rights, badge };
}

void keep_save(const struct ds_store *s)
{
    if (!halves)
        return;
    struct half *h = &halves[++seq & 1];
    h->magic = 0;                        /* not valid while it is written */
    memcpy(&h->store, s, sizeof *s);
    memcpy(h->caps, halves[~seq & 1].caps, sizeof h->caps);
    for (unsigned i = 0; i < NCAPS; i++)
        give(h, &h->store, i);
    h->version = KEEP_VERSION;
    h->size = sizeof *s;
    h->seq = seq;
    h->sum = sum_of(h);
    __atomic_store_n(&h->magic, KEEP_MAGIC, __ATOMIC_RELEASE);   /* the commit point */
}
