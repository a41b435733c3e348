/* Where the debugger test's target keeps what the test looks at (dbgtarget.c). */
#pragma once
#include <stdint.h>

struct dbg_layout {
    uint64_t counter, counter2, changed, landed;    /* addresses of its variables */
    uint64_t check_value, landing;                  /* addresses of two functions */
    uint64_t shared;                                /* a page it maps read-only */
};
