/* RS kept outside itself. The kernel gives every incarnation of the root task the
 * same frame (RS_SLOT_KEEP) and capability store (RS_SLOT_STORE), and starts a new
 * one when it dies. After every request and notice, before the answer, RS seals
 * its tables (the services, their declarations, registered with keep_add) into
 * the half of the frame it did not write last, gives the store its fixed slots
 * (the services' tasks, endpoints, hardware, keep frames; its own endpoint) when
 * they changed, and has its quota adopt the objects it made for them, so that
 * they no longer die with RS. The next incarnation loads the newest valid half at
 * the same addresses (the same program, so pointers between the tables hold) and
 * takes the capabilities back into the same slots. Objects RS made after the
 * last save are still its own: they die with it, as if never made. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rsys.h>
#include "rskeep.h"
#include "service.h"

#define KEEP_VA 0x5EF000000000ull
#define KEEP_MAGIC 0x5350454Bu          /* "KEPS" */
#define MAX_REGIONS 8
#define ROOT_EP_SLOT 10                 /* main.c's ROOT_EP */

struct region {
    void *p;
    size_t n;
};

struct half {
    uint32_t magic, nregions;
    uint64_t seq, bytes, sum;
    uint8_t data[];
};

static struct region regions[MAX_REGIONS];
static unsigned nregions;
static size_t total;
static uint64_t seq;
static int caps_dirty = 1;
static int unchanged;                   /* the last call changed nothing kept */
static struct half *halves[2];
static struct kept_cap {
    uint64_t held, rights, badge;
} kept[SVC_FIXED_FIRST + SVC_FIXED_COUNT];     /* kept too (keep_init registers it) */

void keep_add(void *p, size_t n)
{
    if (nregions < MAX_REGIONS)
        regions[nregions++] = (struct region){ p, n }, total += n;
}

void keep_caps_changed(void)
{
    caps_dirty = 1;
}

void keep_drop(uint64_t slot)
{
    rs_task_drop_cap(RS_SLOT_STORE, slot);
    if (slot < sizeof kept / sizeof kept[0])
        kept[slot].held = 0;
    caps_dirty = 1;
}

static int open_frame(void)
{
    static int registered;
    if (!registered++)
        keep_add(kept, sizeof kept);
    uint64_t pages = 0, addr = 0;
    if (halves[0])
        return 0;
    size_t half = RS_ROOT_KEEP_PAGES * 4096ull / 2;
    uint64_t e = sizeof(struct half) + total > half ? RS_E_RANGE
                 : rs_frame_info(RS_SLOT_KEEP, &pages, &addr);
    if (!e)
        e = rs_frame_map(RS_SLOT_KEEP, KEEP_VA, RS_MAP_WRITE);
    if (e) {
        rs_warn("cannot keep my tables (%zu bytes): %s", total, rs_error_name(e));
        return -1;
    }
    halves[0] = (struct half *)KEEP_VA;
    halves[1] = (struct half *)(KEEP_VA + half);
    return 0;
}

static uint64_t sum_of(const struct half *h)
{
    uint64_t x = 0xcbf29ce484222325ull ^ h->seq ^ (h->bytes << 32);
    const uint8_t *b = h->data;
    for (size_t i = 0; i + 8 <= h->bytes; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        x = (x ^ w) * 0x100000001b3ull;
    }
    return x;
}

static int fixed(uint64_t slot)
{
    return slot == ROOT_EP_SLOT
           || (slot >= SVC_FIXED_FIRST && slot < SVC_FIXED_FIRST + SVC_FIXED_COUNT);
}

/* Gives the store every fixed slot RS holds (and empties the others there), and
 * has the quota adopt what RS made (refused, harmlessly, for what it adopted
 * before or never owned). */
static void save_caps(void)
{
    for (uint64_t slot = ROOT_EP_SLOT; slot < SVC_FIXED_FIRST + SVC_FIXED_COUNT; slot++) {
        uint64_t kind, rights = 0, badge = 0, dead = 0;
        if (!fixed(slot))
            continue;
        rs_task_drop_cap(RS_SLOT_STORE, slot);
        kept[slot].held = 0;
        if (rs_cap_info(slot, &kind, &rights, &badge, &dead))
            continue;
        rs_quota_adopt(RS_SLOT_QUOTA, slot);
        if (!rs_task_give_cap(RS_SLOT_STORE, slot, slot, rights, badge))
            kept[slot] = (struct kept_cap){ 1, rights, badge };
    }
}

void keep_unchanged(void)
{
    unchanged = 1;
}

void keep_save(void)
{
    int skip = unchanged;
    unchanged = 0;
    if (skip || open_frame())
        return;
    if (caps_dirty)
        save_caps();
    caps_dirty = 0;
    struct half *h = halves[++seq & 1];
    h->magic = 0;
    uint8_t *at = h->data;
    for (unsigned i = 0; i < nregions; i++, at += regions[i - 1].n)
        memcpy(at, regions[i].p, regions[i].n);
    h->nregions = nregions;
    h->seq = seq;
    h->bytes = total;
    h->sum = sum_of(h);
    __atomic_store_n(&h->magic, KEEP_MAGIC, __ATOMIC_RELEASE);
}

static int valid(const struct half *h)
{
    return h->magic == KEEP_MAGIC && h->nregions == nregions && h->bytes == total
           && h->sum == sum_of(h);
}

/* Takes every fixed slot back from the store, with the rights and badge it had. */
static void load_caps(void)
{
    for (uint64_t slot = ROOT_EP_SLOT; slot < SVC_FIXED_FIRST + SVC_FIXED_COUNT; slot++) {
        if (!fixed(slot) || !kept[slot].held)
            continue;
        rs_cap_delete(slot);
        if (rs_task_take_cap(RS_SLOT_STORE, slot, slot, kept[slot].rights, kept[slot].badge))
            rs_warn("kept capability in slot %lu is gone", (unsigned long)slot);
    }
}

int keep_load(void)
{
    if (open_frame())
        return 0;
    int a = valid(halves[0]), b = valid(halves[1]);
    if (!a && !b)
        return halves[0]->magic || halves[1]->magic ? -1 : 0;
    const struct half *h = a && (!b || halves[0]->seq > halves[1]->seq) ? halves[0] : halves[1];
    const uint8_t *at = h->data;
    for (unsigned i = 0; i < nregions; at += regions[i].n, i++)
        memcpy(regions[i].p, at, regions[i].n);
    seq = h->seq;
    load_caps();
    caps_dirty = 1;
    return 1;
}
