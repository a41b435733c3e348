/* The in-OS half of a fault-injection campaign (the host half is
 * faultinject/host/campaign.py): runs experiments back to back in one boot, each
 * on a fresh incarnation of the target, and reports each on the kernel log.
 * Experiment i (from first, count of them) has the seed seed+i, which also draws
 * its fault type from `types` (a hexadecimal mask of the injector's types, bit t
 * for type t of faultinject/mutate.h, or "none" for the golden run):
 *   1. the target is restarted (a fresh incarnation) and must be running, and
 *      the console session is new (what a fault before did to it is gone);
 *   2. the injector makes the fault (type "none": no fault, the golden run);
 *   3. the workload writes `lines` numbered lines "x I K" through the console
 *      driver; each write succeeds, fails, or has an unknown outcome, or runs
 *      past `deadline` ms (the driver is stuck and RS has not noticed: the
 *      experiment timed out, the rest of its lines are not written);
 *   4. after `settle` ms, RS says how the target is.
 * With cover=1 (a golden run), step 2 measures instead which of the target's
 * sites the workload reaches: the injector logs them (faultinject cover).
 * Log lines: "exp I begin seed=S type=T" and "exp I end made=... ok=N unknown=N
 * errors=N timeouts=N state=STATE", then "campaign done", and the system is halted. The
 * host compares the numbered lines with the golden run and reads RS's events
 * between the two lines to classify the outcome. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/console.h>
#include <proto/ether.h>
#include <rs_ether.h>
#include <rs_console.h>
#include <rs_session.h>
#include <proto/faultinject.h>
#include <proto/system.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "../mutate.h"

enum { WORK = RS_GIVEN_FIRST_FREE, FI };   /* the workload's server: console or ether */
#define CONSOLE WORK

#define TYPES_MAX FI_TYPES
#define RUNNING_WAIT_MS 3000

static int cover;                   /* golden run: measure which sites the workload reaches */
static int ether;                   /* the target is a NIC driver: the Ethernet workload */

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

struct outcome {
    unsigned ok, unknown, errors, timeouts, corrupt;
};

static void workload(uint64_t exp, unsigned lines, struct outcome *o)
{
    for (unsigned k = 1; k <= lines; k++) {
        char line[40];
        int n = snprintf(line, sizeof line, "x %lu %u\n", exp, k);
        uint64_t done = 0, e = rs_console_write(CONSOLE, line, (size_t)n, &done);
        if (e == RS_E_TIMEOUT) {    /* stuck, and RS has not seen it: the rest unwritten */
            o->timeouts++;
            o->errors += lines - k + 1;
            return;
        }
        if (e == RS_E_SESSION && rs_session_reset(CONSOLE))
            rs_warn("no new session with the target after a corrupt one");
        if (e == RS_E_UNKNOWN)
            o->unknown++;
        else if (e || done != (uint64_t)n)
            o->errors++;
        else
            o->ok++;
    }
}

/* The Ethernet workload (a NIC driver target): `lines` ARP exchanges with QEMU's
 * user-network gateway through "ether": answered is ok, never answered an error,
 * an answer that is not the right one (wrong addresses) corrupt: the driver
 * delivered a frame that is not what the wire carried. */
#define ETHER_WAIT_MS 100
static const uint8_t my_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };
static uint8_t my_mac[ETHER_ADDR];

static void arp_request(uint8_t *f)
{
    memset(f, 0, 42);
    memset(f, 0xFF, ETHER_ADDR);
    memcpy(f + 6, my_mac, ETHER_ADDR);
    f[12] = 0x08, f[13] = 0x06, f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4, f[21] = 1;
    memcpy(f + 22, my_mac, ETHER_ADDR);
    memcpy(f + 28, my_ip, 4);
    memcpy(f + 38, gw_ip, 4);
}

/* 1: the gateway's answer to us; 0: another frame; -1: an ARP reply that is wrong. */
static int arp_answer(const uint8_t *f, size_t n)
{
    if (n < 42 || f[12] != 0x08 || f[13] != 0x06 || f[21] != 2)
        return 0;
    return memcmp(f, my_mac, 6) || memcmp(f + 28, gw_ip, 4) || memcmp(f + 32, my_mac, 6)
           || memcmp(f + 38, my_ip, 4) ? -1 : 1;
}

/* One exchange: 1 answered, 0 not (yet), -1 a wrong answer, -2 a call timed out,
 * -3 the driver refused a call (a session it found corrupt is reset, as a client
 * would: the next exchange has a fresh one). */
static int arp_once(void)
{
    uint8_t f[ETHER_MAX];
    uint64_t sent = 0, more = 0;
    arp_request(f);
    uint64_t e = ether_send(WORK, f, 42, &sent);
    for (uint64_t until = rs_time_ms() + ETHER_WAIT_MS; !e && rs_time_ms() < until;) {
        size_t n = 0;
        e = ether_recv(WORK, sizeof f, f, sizeof f, &n, &more);
        if (e == RS_E_NOENT) {
            e = 0;
            rs_sleep(1);
            continue;
        }
        int a = e ? 0 : arp_answer(f, n);
        if (a)
            return a;
    }
    if (e == RS_E_SESSION && rs_session_reset(WORK))
        rs_warn("no new session with the target after a corrupt one");
    return e == RS_E_TIMEOUT ? -2 : e ? -3 : 0;
}

/* Every exchange is asked until answered, within ETHER_PATIENCE_MS of the first
 * (the time a driver gets to come back: a reset e1000 holds received frames for
 * a second); past that, those not yet answered are errors, unasked. A driver
 * that refuses ETHER_REFUSALS calls in a row is running but broken: patience
 * ends there. The workload never sticks (each call is bounded by the deadline):
 * no timeouts are counted. */
#define ETHER_PATIENCE_MS 2000
#define ETHER_REFUSALS 3
static void ether_workload(unsigned lines, struct outcome *o)
{
    uint64_t until = rs_time_ms() + ETHER_PATIENCE_MS;
    unsigned refused = 0;
    for (unsigned k = 0; k < lines; k++) {
        int a = 0;
        while (rs_time_ms() < until && (a = arp_once()) != 1 && a != -1) {
            refused = a == -3 ? refused + 1 : 0;    /* unanswered, timed out: again */
            if (refused >= ETHER_REFUSALS)
                until = 0;          /* running but broken: no more patience */
        }
        if (a == 1)
            o->ok++;
        else if (a == -1)
            o->corrupt++;
        else
            o->errors++;
    }
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
    if (ether)
        ether_workload(lines, &o);
    else
        workload(exp, lines, &o);
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
    char work[16] = "console";
    rs_arg("workload", work, sizeof work);
    ether = !strcmp(work, "ether");
    uint64_t mac = 0, mtu = 0, link = 0;
    if (!ntypes || rs_lookup_wait(work, WORK, 5000) || rs_lookup_wait("faultinject", FI, 5000)
        || (ether && ether_info(WORK, &mac, &mtu, &link))) {
        rs_error("no types, or no %s or injector to run a campaign with", work);
        return 1;
    }
    ether_mac_bytes(mac, my_mac);
    rs_lookup_recovering(work, WORK);
    rs_service_ready();
    rs_info("campaign target=%s experiments %lu..%lu seed=%lu types=%s", target, first,
            first + count - 1, seed, names);
    for (uint64_t i = first; i < first + count; i++)
        experiment(target, types, ntypes, i, seed + i, lines, arg("settle", 30));
    rs_info("campaign done");
    system_halt(RS_GIVEN_SYSTEM);
    return 0;
}
