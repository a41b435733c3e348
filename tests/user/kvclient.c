/* The key-value server's client for its restart tests: two sessions, A and B (two
 * capabilities to kv, each with its own session region), put, get and iterate
 * with the session's cursor while something else crashes kv (crasher, or the
 * fault injector), until `until` is published in the data store. Every answer
 * is checked against what the client expects: a put runs exactly once (the
 * session's count of puts equals the puts confirmed, none lost, none doubled), a
 * get returns the last value put, an iteration returns every key once with its
 * value, and the cursor stands where this client left it. At the end, a
 * checksum over both sessions' data as the server returns them must equal the
 * client's. Arguments: until=NAME ops=N (at most) seed=N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/datastore.h>
#include <proto/kv.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rs_capfault.h>
#include <rsys.h>
#include "outages.h"

enum { SESSIONS = 2, KEYS = 20 };

struct session {
    uint64_t slot;
    char value[KEYS][48];           /* what each key must hold ("" : never put) */
    unsigned order[KEYS], nkeys;    /* keys in the order first put (the server's) */
    uint64_t puts;                  /* puts confirmed */
};

static struct session ses[SESSIONS] = { { .slot = 20 }, { .slot = 21 } };
static uint64_t bad, unknown, retried_errors, iterations, gets;

static uint64_t arg(const char *key, uint64_t dflt)
{
    char v[24];
    return rs_arg(key, v, sizeof v) ? strtoull(v, 0, 10) : dflt;
}

static void fail(const char *what, unsigned s, uint64_t detail)
{
    if (bad++ < 10)
        rs_error("session %c: %s (%lu)", 'A' + s, what, (unsigned long)detail);
}

/* A call that met no server yet (not delivered, not recovered) is tried again;
 * RS_E_UNKNOWN must never come back from kv (it answers each request once). A
 * call that needed a recovery is an outage: the session's recovery latency. */
#define AGAIN(call) ({ uint64_t e_, t_ = rs_tsc(), r_ = rs_capfault_recoveries();              \
                       while ((e_ = (call)) == RS_E_CAPFAULT || e_ == RS_E_NOCAP)              \
                       { retried_errors++; rs_sleep(2); }                                     \
                       finish_call(e_, t_, r_); })

/* Counts an answer's unknown outcome and outage; returns its error. */
static uint64_t finish_call(uint64_t e, uint64_t start, uint64_t recoveries)
{
    if (e == RS_E_UNKNOWN)
        unknown++;
    if (rs_capfault_recoveries() != recoveries)
        outage_add(rs_tsc() - start);
    return e;
}

static void put(unsigned s, unsigned k, uint64_t n)
{
    char kv[64];
    int len = snprintf(kv, sizeof kv, "k%u=v%lu.%c", k, (unsigned long)n, 'A' + s);
    uint64_t keys = 0, e = AGAIN(kv_put(ses[s].slot, kv, (size_t)len, &keys));
    if (e) {
        fail("put failed", s, e);
        return;
    }
    ses[s].puts++;
    if (!ses[s].value[k][0])
        ses[s].order[ses[s].nkeys++] = k;
    snprintf(ses[s].value[k], sizeof ses[s].value[k], "%s", strchr(kv, '=') + 1);
}

static void get(unsigned s, unsigned k)
{
    char key[8], out[64];
    size_t len = 0;
    int n = snprintf(key, sizeof key, "k%u", k);
    uint64_t e = AGAIN(kv_get(ses[s].slot, key, (size_t)n, out, sizeof out - 1, &len));
    gets++;
    out[e ? 0 : len] = '\0';
    if (ses[s].value[k][0] ? e || strcmp(out, ses[s].value[k]) : e != RS_E_NOENT)
        fail("get returned another value", s, k);
}

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
    return h;
}

/* Rewinds and reads every key through the cursor; returns a checksum of it. */
static uint64_t iterate(unsigned s)
{
    char line[80];
    uint64_t sum = 1469598103934665603ull, puts = 0, e;
    unsigned seen = 0, want = 0;
    for (unsigned k = 0; k < KEYS; k++)
        want += ses[s].value[k][0] != 0;
    if (AGAIN(kv_rewind(ses[s].slot)))
        fail("rewind failed", s, 0);
    for (;;) {
        size_t len = 0;
        e = AGAIN(kv_next(ses[s].slot, line, sizeof line - 1, &len, &puts));
        if (e)
            break;
        line[len] = '\0';
        unsigned k = (unsigned)atoi(line + 1);
        char *eq = strchr(line, '=');
        if (!eq || k >= KEYS || strcmp(eq + 1, ses[s].value[k]))
            fail("iteration returned another value", s, k);
        sum = fnv(sum, line, len);
        seen++;
    }
    iterations++;
    if (e != RS_E_NOENT || seen != want)
        fail("iteration did not see every key once", s, seen);
    if (puts != ses[s].puts)
        fail("the session's puts differ from the puts confirmed", s, puts);
    return sum;
}

/* The checksum iterate must find: this client's keys and values, in the order
 * the server keeps them (first put first). */
static uint64_t expected_sum(unsigned s)
{
    uint64_t sum = 1469598103934665603ull;
    for (unsigned i = 0; i < ses[s].nkeys; i++) {
        char line[80];
        unsigned k = ses[s].order[i];
        int n = snprintf(line, sizeof line, "k%u=%s", k, ses[s].value[k]);
        sum = fnv(sum, line, (size_t)n);
    }
    return sum;
}

static int published(const char *name)
{
    uint64_t type = 0, ival = 0;
    return !datastore_retrieve(RS_GIVEN_DS, name, strlen(name), 0, 0, 0, &type, &ival);
}

int main(void)
{
    char until[48] = "";
    uint64_t ops = arg("ops", 100000), rng = arg("seed", 1) * 0x9E3779B97F4A7C15ull | 1, n = 0;
    rs_arg("until", until, sizeof until);
    for (unsigned s = 0; s < SESSIONS; s++) {
        uint64_t keys = 0;
        if (rs_lookup_wait("kv", ses[s].slot, 5000) || rs_lookup_recovering("kv", ses[s].slot)
            || AGAIN(kv_open(ses[s].slot, &keys)) || keys != 0) {
            rs_error("cannot open session %c", 'A' + s);
            return 1;
        }
    }
    rs_service_ready();
    for (; n < ops && !(*until && n % 32 == 0 && published(until)); n++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        unsigned s = (unsigned)(rng % SESSIONS), k = (unsigned)((rng >> 8) % KEYS);
        if (rng >> 40 & 1)
            put(s, k, n);
        else
            get(s, k);
        if (n % 97 == 0)
            iterate(s);
    }
    uint64_t sum[SESSIONS], keys = 0, puts = 0, cursor = 0;
    for (unsigned s = 0; s < SESSIONS; s++) {
        sum[s] = iterate(s);
        if (sum[s] != expected_sum(s))
            fail("the checksum over the session's data differs", s, sum[s]);
        if (AGAIN(kv_stats(ses[s].slot, &keys, &puts, &cursor)) || puts != ses[s].puts)
            fail("final stats differ", s, puts);
    }
    rs_info("%s: %lu operations, puts confirmed A %lu B %lu, %lu gets, %lu iterations, "
            "%lu unknown outcomes, %lu errors; checksums A %016lx B %016lx",
            bad || unknown ? "KV SESSIONS BROKEN" : "kv sessions intact", (unsigned long)n,
            (unsigned long)ses[0].puts, (unsigned long)ses[1].puts, (unsigned long)gets,
            (unsigned long)iterations, (unsigned long)unknown, (unsigned long)bad,
            (unsigned long)sum[0], (unsigned long)sum[1]);
    report_outages();
    return bad || unknown ? 1 : 0;
}
