/* Fault source for the restart tests: asks RS to make a service fail, count times,
 * each after a random pause (0..gap ms), with a kind drawn from `kinds`. With
 * target=counter it is also the counter's client: `adds` additions between
 * crashes, and at the end a check that the count survived every crash (it may
 * exceed the confirmed additions only by those whose outcome was unknown).
 * Arguments: target=NAME count=N gap=MS seed=N kinds=exception,pagefault,exit,hang,anywhere
 * adds=N delay=MS (before the first crash). Kinds ficrash and fispin have the fault
 * injector (fi) make the failure instead, its types crash (a jump to an unmapped
 * address) and hang (an endless loop), wherever the target's thread stands. When done it publishes "crash-done" (chatter's until=). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/counter.h>
#include <proto/faultinject.h>
#include <proto/datastore.h>
#include <rs_ds.h>
#include <proto/system.h>
#include <rs_capfault.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>

enum { COUNTER = 20, FI = 21 };
enum { KIND_FI_CRASH = SVC_CRASH_ANYWHERE + 1, KIND_FI_HANG, KINDS };

static uint64_t rng;
static char target[16] = "uart";

static uint64_t next_random(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static uint64_t arg(const char *key, uint64_t dflt)
{
    char v[24];
    return rs_arg(key, v, sizeof v) ? strtoull(v, 0, 10) : dflt;
}

/* The kinds allowed by `kinds` (RS's five by default), as SVC_CRASH_* values and
 * KIND_FI_*. */
static unsigned parse_kinds(uint64_t kinds[KINDS])
{
    static const char *const names[] = { "exception", "pagefault", "exit", "hang", "anywhere",
                                         "ficrash", "fispin" };
    char list[80] = "exception,pagefault,exit,hang,anywhere";
    rs_arg("kinds", list, sizeof list);
    unsigned n = 0;
    for (unsigned i = 0; i < KINDS - 1; i++)
        if (strstr(list, names[i]))
            kinds[n++] = SVC_CRASH_EXCEPTION + i;
    return n;
}

static int find_counter(uint64_t slot, void *ctx)
{
    (void)ctx;
    return rs_lookup("counter", slot) ? -1 : 0;
}

#define EFFECT_WAIT_MS 5000

static uint64_t incarnation(uint64_t *state)
{
    uint64_t inc = 0;
    *state = 0;
    system_svc_info(RS_GIVEN_SYSTEM, target, strlen(target), state, &inc, 0, 0);
    return inc;
}

/* Crashes the running target (RS answers RS_E_BUSY while it is not, or not
 * taking requests), then waits until a new incarnation runs: one crash, one
 * restart, so the test can count them. */
/* Has RS, or the fault injector, make the target fail the way kind says. */
static uint64_t make_fail(uint64_t kind)
{
    if (kind < KIND_FI_CRASH)
        return system_svc_crash(RS_GIVEN_SYSTEM, kind, target, strlen(target));
    char req[40];
    uint64_t at = 0;
    int n = snprintf(req, sizeof req, "%s %s", target, kind == KIND_FI_CRASH ? "crash" : "hang");
    return faultinject_inject(FI, next_random(), req, (size_t)n, &at);
}

static void crash(uint64_t kind)
{
    uint64_t e, state, before;
    do {
        before = incarnation(&state);
        e = state == RS_SVC_RUNNING ? make_fail(kind) : RS_E_BUSY;
        if (e == RS_E_BUSY)
            rs_sleep(1);
    } while (e == RS_E_BUSY);
    if (e) {
        rs_error("svc_crash %s failed (error %lu)", target, e);
        return;
    }
    for (unsigned ms = 0; incarnation(&state) == before || state != RS_SVC_RUNNING; ms++) {
        if (ms == EFFECT_WAIT_MS) {
            rs_error("crash of %s (kind %lu) had no effect in %u ms", target, kind, ms);
            return;
        }
        rs_sleep(1);
    }
}

/* target=rs: RS fails itself in the call (the kernel starts the next RS), and
 * this waits until an RS answers again; every tenth time it then crashes the
 * console driver through the new RS and waits for its restart, to show the
 * services are still supervised. */
static void crash_rs(uint64_t kind, uint64_t i)
{
    uint64_t state, inc, e = system_svc_crash(RS_GIVEN_SYSTEM, kind, "rs", 2);
    if (e != RS_E_CAPFAULT)
        rs_error("svc_crash rs answered %lu: RS did not fail", e);
    while (system_svc_info(RS_GIVEN_SYSTEM, "uart", 4, &state, &inc, 0, 0))
        rs_sleep(1);
    if (i % 10 == 9) {
        strcpy(target, "uart");
        crash(SVC_CRASH_EXCEPTION);
        strcpy(target, "rs");
    }
}

struct tally {
    uint64_t ok, unknown, value;
};

static void add_some(uint64_t adds, struct tally *t)
{
    for (uint64_t i = 0; i < adds; i++) {
        uint64_t v = 0, e = counter_add(COUNTER, 1, &v);
        if (!e) {
            t->ok++;
            t->value = v;
        } else if (e == RS_E_UNKNOWN) {
            t->unknown++;
        } else {
            rs_sleep(2);        /* not delivered and not recovered yet: again */
            i--;
        }
    }
}

static int check_counter(const struct tally *t)
{
    uint64_t final = 0, e;
    while ((e = counter_get(COUNTER, &final)) != 0)
        rs_sleep(2);
    int good = final >= t->ok && final <= t->ok + t->unknown;
    rs_info("counter %s: final %lu, confirmed adds %lu, unknown outcomes %lu",
            good ? "kept its count" : "LOST ITS COUNT", final, t->ok, t->unknown);
    return good ? 0 : 1;
}

int main(void)
{
    uint64_t kinds[KINDS], count = arg("count", 10), gap = arg("gap", 20), adds = arg("adds", 0);
    unsigned nkinds = parse_kinds(kinds);
    rng = arg("seed", 1) * 0x9E3779B97F4A7C15ull | 1;
    rs_arg("target", target, sizeof target);
    int counting = !strcmp(target, "counter");
    struct tally t = { 0 };
    if (counting && rs_lookup_wait("counter", COUNTER, 5000))
        return 2;
    if (counting)
        rs_capfault_register(COUNTER, find_counter, 0);
    for (unsigned i = 0; i < nkinds; i++)
        if (kinds[i] >= KIND_FI_CRASH && rs_lookup_wait("faultinject", FI, 5000))
            return 2;
    rs_service_ready();
    rs_sleep(arg("delay", 0));          /* let the target get going first */
    for (uint64_t i = 0; i < count && nkinds; i++) {
        if (counting)
            add_some(adds, &t);
        if (gap)
            rs_sleep(next_random() % (gap + 1));
        if (!strcmp(target, "rs"))
            crash_rs(kinds[next_random() % nkinds], i);
        else
            crash(kinds[next_random() % nkinds]);
    }
    rs_info("%lu crashes of %s injected", count, target);
    datastore_publish(RS_GIVEN_DS, DS_INT, count, "crash-done", sizeof "crash-done");
    return counting ? check_counter(&t) : 0;
}
