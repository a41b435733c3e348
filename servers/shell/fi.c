/* `fi TARGET TYPE [COUNT] [SEED]` at the shell, and fi.inject in Lua: faults made
 * by the injector service (faultinject/), found in the data store. COUNT faults
 * with the seeds SEED, SEED+1, ...; each in a running target, given SHOW_MS to
 * show (RS restarts a target that crashed or hung), after which the target is
 * restarted, so the next fault, and the console, find a fresh incarnation. The
 * line about each fault is printed as soon as it is made: writing it runs the
 * console driver, which is what makes an armed fault there act (code faults and
 * bogus-ipc/exhaust act when the target reaches them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/faultinject.h>
#include <proto/system.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "shell.h"

#define RUNNING_WAIT_MS 3000
#define SHOW_MS 200

uint64_t shell_fi_inject(const char *target, const char *type, uint64_t seed, uint64_t *addr)
{
    static int found;
    char req[48];
    if (!found)
        found = !rs_lookup_recovering("faultinject", SHELL_FI);
    if (!found)
        return RS_E_NOENT;
    int n = snprintf(req, sizeof req, "%s %s", target, type);
    if (n < 0 || n >= (int)sizeof req)
        return RS_E_RANGE;
    return faultinject_inject(SHELL_FI, seed, req, (size_t)n, addr);
}

/* Whether faults of this type wait for the target to reach them (trigger.h). */
static int acts_when_reached(const char *type)
{
    static const char *const armed[] = { "text-flip", "nop", "src", "dst", "pointer",
                                         "branch", "loop", "bogus-ipc", "exhaust" };
    for (size_t i = 0; i < sizeof armed / sizeof armed[0]; i++)
        if (!strcmp(type, armed[i]))
            return 1;
    return 0;
}

void shell_fi(const char *arg)
{
    char target[16], type[16];
    unsigned long count = 1, seed = 1;
    if (!arg || sscanf(arg, "%15s %15s %lu %lu", target, type, &count, &seed) < 2) {
        printf("usage: fi TARGET TYPE [COUNT] [SEED]   types: text-flip nop src dst pointer "
               "branch loop stack-flip heap-flip data-flip reg-flip crash hang wild-write "
               "bogus-ipc exhaust\n");
        return;
    }
    for (unsigned long i = 0; i < count; i++) {
        if (rs_service_wait_running(target, RUNNING_WAIT_MS) != RS_SVC_RUNNING) {
            printf("fi: %s is not running: stopped after %lu faults\n", target, i);
            return;
        }
        uint64_t addr = 0, e = shell_fi_inject(target, type, seed + i, &addr);
        if (e)
            printf("fi: %s %s seed %lu: %s\n", target, type, seed + i, rs_error_name(e));
        else
            printf("fi: %s %s seed %lu: %s at %#lx\n", target, type, seed + i,
                   acts_when_reached(type) ? "armed" : "made", addr);
        rs_sleep(SHOW_MS);
        system_svc_restart(SHELL_SYSTEM, target, strlen(target));
        rs_service_wait_running(target, RUNNING_WAIT_MS);
    }
}
