/* Boot modules by name and spawning them, for tasks holding the platform capability. */
#include <string.h>
#include <rs_invoke.h>
#include <rsys.h>
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

uint64_t rs_spawn(const char *module, uint64_t quota_slot, uint64_t bytes, uint64_t task_slot,
                  unsigned prio, const char *args, uint64_t *tid)
{
    int index = rs_module_find(module);
    if (index < 0)
        return RS_E_NOENT;
    uint64_t image = rs_slot_alloc();
    if (!image)
        return RS_E_NOCAP;
    uint64_t e = rs_platform_image(RS_SLOT_PLATFORM, (uint64_t)index, image);
    if (!e)
        e = rs_image_spawn(image, quota_slot, bytes, task_slot, prio, (uint64_t)args,
                           args ? strlen(args) : 0, tid);
    rs_cap_delete(image);
    rs_slot_free(image);
    return e;
}
