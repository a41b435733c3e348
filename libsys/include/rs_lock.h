/* A lock for the few shared structures of libsys (the heap, the slot allocator)
 * when a component runs several threads: spin with a yield, no system call
 * besides yield. stdio is not locked: use it from one thread. */
#pragma once
#include <rsys.h>

typedef volatile int rs_lock_t;

static inline void rs_lock(rs_lock_t *l)
{
    while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
        rs_yield();
}

static inline void rs_unlock(rs_lock_t *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}
