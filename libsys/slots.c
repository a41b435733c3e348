/* Capability-slot allocator for the dynamic part of the task's cspace. */
#include <resurgo/resurgo.h>
#include "rs_libc.h"

static uint64_t used[RS_CSPACE_SLOTS / 64];

uint64_t rs_slot_alloc(void)
{
    for (uint64_t s = RS_SLOT_DYNAMIC; s < RS_CSPACE_SLOTS; s++) {
        if (!(used[s / 64] & (1ull << (s % 64)))) {
            used[s / 64] |= 1ull << (s % 64);
            return s;
        }
    }
    return 0;
}

void rs_slot_free(uint64_t slot)
{
    if (slot >= RS_SLOT_DYNAMIC && slot < RS_CSPACE_SLOTS)
        used[slot / 64] &= ~(1ull << (slot % 64));
}
