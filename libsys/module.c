/* Boot modules by name, for tasks holding the platform capability. */
#include <string.h>
#include <rs_invoke.h>
#include "rs_libc.h"

int rs_module_find(const char *name)
{
    for (uint64_t i = 0; i < 64; i++) {
        uint64_t size, w[4] = { 0 };
        uint64_t e = rs_platform_module(RS_SLOT_PLATFORM, i, &size, &w[0], &w[1], &w[2], &w[3]);
        if (e == RS_E_RANGE)
            return -1;                  /* past the last module */
        if (!e && !strncmp((const char *)w, name, sizeof w))
            return (int)i;
    }
    return -1;
}
