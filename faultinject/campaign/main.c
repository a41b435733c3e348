/* The in-OS half of a fault-injection campaign (the host half is
 * faultinject/host/campaign.py): runs experiments back to back in one boot, each
 * on a fresh incarnation of the target, and reports each on the kernel log.
 * Experiment i (from first, count of them) has the seed seed+i, which also draws
 * its fault type from `types` (a hexadecimal mask of the injector's types, bit t
 * for type t of faultinject/mutate.h, or "none" for the golden run):
 *   1. the target is restarted (a fresh incarnation) and must be running, and
 *      the workload's session is new (what a fault before did to it is gone);
 *   2. the injector makes the fault (type "none": no fault, the golden run);
 *   3. the workload (workload.h, by the target's kind: console lines, ARP
 *      exchanges, or 4 KiB blocks written and read back) makes `lines` requests
 *      through the target; each is ok, an error, unknown, corrupt, or a write
 *      runs past `deadline` ms (the console driver is stuck and RS has not
 *      noticed: the experiment timed out, the rest of its lines not written);
 *   4. after `settle` ms, RS says how the target is.
 * With cover=1 (a golden run), step 2 measures instead which of the target's
 * sites the workload reaches: the injector logs them (faultinject cover).
 * Log lines: "exp I begin seed=S type=T" and "exp I end made=... ok=N unknown=N
 * errors=N timeouts=N state=STATE corrupt=N", then "campaign done", and the system is halted. The
 * host compares the numbered lines with the golden run and reads RS's events
 * between the two lines to classify the outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/faultinject.h>
#include <proto/system.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rs_session.h>
#include <rsys.h>
#include "../mutate.h"
#include "workload.h"

#define TYPES_MAX FI_TYPES
#define RUNNING_WAIT_MS 3000

static int cover;                   /* golden run: measure which sites the workload reaches */
static enum { CONSOLE, ETHER, BLOCK } work;     /* the workload: by the target's kind */

static const char *const states[] = { "stopped", "starting", "running", "waiting", "blocked",
                                      "failed" };

static uint64_t arg(const char *key, uint64_t dflt)
{
    char v[24];
    return rs_arg(key, v, sizeof v) ? strtoull(v, 0, 10) : dflt;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void run_workload(uint64_t exp, unsigned lines, struct outcome *o)
{
    if (work == ETHER)
        ether_workload(lines, o);
    else if (work == BLOCK)
        block_workload(exp, lines, o);
    else
        console_workload(exp, lines, o);
}

static void experiment(const char *target, char types[][16], unsigned ntypes, uint64_t exp,
                       uint64_t seed, unsigned lines, uint64_t settle)
{
    const char *type = types[mix(seed) % ntypes];
    struct outcome o = { 0 };
    uint64_t addr = 0, made = 0;
    rs_info("exp %lu begin seed=%lu type=%s", exp, seed, type);
    system_svc_restart(RS_GIVEN_SYSTEM, target, strlen(target));
    int running = rs_service_wait_running(target, RUNNING_WAIT_MS) == RS_SVC_RUNNING;
    if (running && rs_session_reset(WORK))
        rs_warn("exp %lu: no new session with the target", exp);
    if (running && strcmp(type, "none")) {
        char req[40];
        int n = snprintf(req, sizeof req, "%s %s", target, type);
        made = faultinject_inject(FI, seed, req, (size_t)n, &addr);
    } else if (running && cover) {
        uint64_t e = faultinject_cover(FI, target, strlen(target), &addr);
        if (e)
            rs_error("coverage of %s cannot be measured: %s", target, rs_error_name(e));
    }
    run_workload(exp, lines, &o);
    rs_sleep(settle);
    if (cover)
        faultinject_covered(FI, &addr);
    uint64_t st = rs_service_wait_running(target, settle);
    rs_info("exp %lu end made=%s addr=%#lx ok=%u unknown=%u errors=%u timeouts=%u state=%s "
            "corrupt=%u", exp, !strcmp(type, "none") ? "none" : made ? rs_error_name(made) : "yes",
            addr, o.ok, o.unknown, o.errors, o.timeouts, st < 6 ? states[st] : "?", o.corrupt);
}

/* The types named by `types`, in the order of their bits; how many. */
static unsigned parse_types(char types[][16], char *names, size_t size)
{
    char v[24] = "none";
    unsigned n = 0;
    rs_arg("types", v, sizeof v);
    if (!strcmp(v, "none")) {
        snprintf(types[0], sizeof types[0], "none");
        snprintf(names, size, "none");
        return 1;
    }
    uint64_t mask = strtoull(v, 0, 16);
    names[0] = '\0';
    for (int t = 0; t < FI_TYPES; t++) {
        if (!(mask >> t & 1))
            continue;
        snprintf(types[n++], sizeof types[0], "%s", fi_type_name(t));
        size_t used = strlen(names);
        snprintf(names + used, size - used, "%s%s", used ? "." : "", fi_type_name(t));
    }
    return n;
}

int main(void)
{
    char target[16] = "uart", types[TYPES_MAX][16], names[TYPES_MAX * 16];
    rs_arg("target", target, sizeof target);
    unsigned ntypes = parse_types(types, names, sizeof names);
    uint64_t first = arg("first", 0), count = arg("count", 10), seed = arg("seed", 1);
    unsigned lines = (unsigned)arg("lines", 8);
    cover = arg("cover", 0) && !strcmp(types[0], "none");
    rs_client_set_timeout(arg("deadline", RS_TIMEOUT_FOREVER));
    char name[16] = "console";
    rs_arg("workload", name, sizeof name);
    work = !strcmp(name, "ether") ? ETHER : !strcmp(name, "block") ? BLOCK : CONSOLE;
    if (!ntypes || rs_lookup_wait(name, WORK, 5000) || rs_lookup_wait("faultinject", FI, 5000)
        || rs_lookup_recovering(name, WORK) || (work == ETHER && ether_setup())
        || (work == BLOCK && block_setup())) {
        rs_error("no types, or no %s or injector to run a campaign with", name);
        return 1;
    }
    rs_service_ready();
    rs_info("campaign target=%s experiments %lu..%lu seed=%lu types=%s", target, first,
            first + count - 1, seed, names);
    for (uint64_t i = first; i < first + count; i++)
        experiment(target, types, ntypes, i, seed + i, lines, arg("settle", 30));
    rs_info("campaign done");
    system_halt(RS_GIVEN_SYSTEM);
    return 0;
}
