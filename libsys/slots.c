/* Capability-slot allocator for the dynamic part of the task's cspace. */
#include <resurgo/resurgo.h>
#include "rs_libc.h"
#include "rs_lock.h"

static uint64_t used[RS_CSPACE_SLOTS / 64];
static rs_lock_t lock;

uint64_t rs_slot_alloc(void)
{
    uint64_t found = 0;
    rs_lock(&lock);
    for (uint64_t s = RS_SLOT_DYNAMIC; s < RS_CSPACE_SLOTS && !found; s++) {
        if (!(used[s / 64] & (1ull << (s % 64)))) {
            used[s / 64] |= 1ull << (s % 64);
            found = s;
        }
    }
    rs_unlock(&lock);
    return found;
}

void rs_slot_reserve(uint64_t first, uint64_t count)
{
    for (uint64_t s = first; s < first + count && s < RS_CSPACE_SLOTS; s++)
        used[s / 64] |= 1ull << (s % 64);
}

void rs_slot_free(uint64_t slot)
{
    rs_lock(&lock);
    if (slot >= RS_SLOT_DYNAMIC && slot < RS_CSPACE_SLOTS)
        used[slot / 64] &= ~(1ull << (slot % 64));
    rs_unlock(&lock);
}
