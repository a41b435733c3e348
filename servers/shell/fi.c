/* `fi TARGET TYPE [COUNT] [SEED]` at the shell, and fi.inject in Lua: faults made
 * by the injector service (faultinject/), found in the data store. COUNT faults
 * with the seeds SEED, SEED+1, ...; before each, the target is given up to 3 s
 * to be running again (a fault may have crashed it, and RS restarts it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/faultinject.h>
#include <proto/system.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "shell.h"

#define SVC_RUNNING 2               /* system svc_info's state word */
#define RUNNING_WAIT_MS 3000

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

static int wait_running(const char *target)
{
    for (int waited = 0; waited <= RUNNING_WAIT_MS; waited += 10) {
        uint64_t st = 0, inc, fails, restarts;
        if (!system_svc_info(SHELL_SYSTEM, target, strlen(target), &st, &inc, &fails, &restarts)
            && st == SVC_RUNNING)
            return 1;
        rs_sleep(10);
    }
    return 0;
}

void shell_fi(const char *arg)
{
    char target[16], type[16];
    unsigned long count = 1, seed = 1;
    if (!arg || sscanf(arg, "%15s %15s %lu %lu", target, type, &count, &seed) < 2) {
        printf("usage: fi TARGET TYPE [COUNT] [SEED]   types: text-flip nop src dst pointer "
               "branch loop stack-flip heap-flip data-flip reg-flip crash hang wild-write\n");
        return;
    }
    for (unsigned long i = 0; i < count; i++) {
        if (!wait_running(target)) {
            printf("fi: %s is not running: stopped after %lu faults\n", target, i);
            return;
        }
        uint64_t addr = 0, e = shell_fi_inject(target, type, seed + i, &addr);
        if (e)
            printf("fi: %s %s seed %lu: %s\n", target, type, seed + i, rs_error_name(e));
        else
            printf("fi: %s %s seed %lu: made at %#lx\n", target, type, seed + i, addr);
    }
}
