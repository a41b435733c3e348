/* The block driver's workload for its tests: writes `blocks` blocks of 4 KiB
 * through "block" (drivers/ata), each filled from a seeded PRNG keyed by its
 * number and a generation, with both and a checksum in its header; reads every
 * one back and compares every byte; then rewrites some with a new generation and
 * verifies again, round after round, until `until` is published in the data store
 * (the crasher's "crash-done") and `rounds` have run; at the end it flushes and
 * verifies everything once more. Each answer is checked: a block read back with
 * an older generation than the last confirmed write is lost, any other mismatch
 * corrupt; each write's answer carries the session's count of writes, which must
 * be the writes confirmed plus one (more: a write ran twice, duplicated; fewer: a
 * confirmed one was forgotten, lost); RS_E_UNKNOWN is counted, never expected.
 * mode=bad sends malformed requests instead and checks each is refused with its
 * error. Arguments: until=NAME blocks=N rounds=N seed=N mode=work|bad. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <proto/block.h>
#include <proto/datastore.h>
#include <rs_capfault.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "outages.h"

enum { BLOCK = 20, SECTOR = 512, PER_BLOCK = 8, BYTES = SECTOR * PER_BLOCK, MAX_BLOCKS = 1024 };

#define MAGIC 0x4B4C4252u               /* "RBLK" */

struct header {                         /* at the start of every block */
    uint32_t magic, block;
    uint64_t gen, seed, sum;            /* sum: FNV-1a of the block, this field 0 */
};

static uint64_t gen[MAX_BLOCKS];        /* the generation last confirmed written (0: none) */
static uint64_t seed, nblocks;
static uint64_t writes, reads, verified, lost, duplicated, corrupt, unknown, errors;
static uint64_t session_writes;         /* the session's count, as the last write said */
static uint64_t resumed;                /* writes the driver went on with after a crash */
static int resync;                      /* an unknown outcome: take the next count as it is */
static uint8_t want[BYTES], got[BYTES];

static uint64_t arg(const char *key, uint64_t dflt)
{
    char v[24];
    return rs_arg(key, v, sizeof v) ? strtoull(v, 0, 10) : dflt;
}

static void fail(const char *what, uint64_t block, uint64_t detail)
{
    if (errors++ < 10)
        rs_error("block %lu: %s (%lu)", (unsigned long)block, what, (unsigned long)detail);
}

/* A call that met no driver yet (not delivered, not recovered) is sent again; a
 * call that needed a recovery is an outage. */
#define AGAIN(call) ({ uint64_t e_, t_ = rs_tsc(), r_ = rs_capfault_recoveries();              \
                       while ((e_ = (call)) == RS_E_CAPFAULT || e_ == RS_E_NOCAP)              \
                           rs_sleep(2);                                                       \
                       if (rs_capfault_recoveries() != r_)                                    \
                           outage_add(rs_tsc() - t_);                                         \
                       e_; })

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* Block b's contents at generation g. */
static void fill(uint8_t *buf, uint64_t b, uint64_t g)
{
    uint64_t x = (seed * 0x9E3779B97F4A7C15ull) ^ (b << 32) ^ (g * 0xBF58476D1CE4E5B9ull) ^ 1;
    for (size_t i = 0; i < BYTES; i += 8) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        memcpy(buf + i, &x, 8);
    }
    struct header h = { MAGIC, (uint32_t)b, g, seed, 0 };
    memcpy(buf, &h, sizeof h);
    h.sum = fnv(1469598103934665603ull, buf, BYTES);
    memcpy(buf, &h, sizeof h);
}

static void write_block(uint64_t b, uint64_t g)
{
    uint64_t count = 0, n = 0, e;
    fill(want, b, g);
    e = AGAIN(block_write(BLOCK, b * PER_BLOCK, want, BYTES, &count, &n));
    if (e == RS_E_UNKNOWN) {
        unknown++, resync = 1;
        return;
    }
    if (e || count != PER_BLOCK) {
        fail(e ? "write failed" : "write wrote another count", b, e ? e : count);
        return;
    }
    writes++;
    if (!resync && n > session_writes + 1)
        duplicated += n - session_writes - 1;
    else if (!resync && n < session_writes + 1)
        lost++, fail("the session forgot a confirmed write", b, n);
    session_writes = n, resync = 0;
    gen[b] = g;
}

/* What a block that differs from the expected one holds: an older generation
 * (a lost write), or something else (corrupt). */
static void classify(uint64_t b)
{
    struct header h;
    memcpy(&h, got, sizeof h);
    uint64_t sum = h.sum;
    h.sum = 0;
    memcpy(got, &h, sizeof h);
    int whole = h.magic == MAGIC && h.block == b && h.seed == seed
                && fnv(1469598103934665603ull, got, BYTES) == sum;
    if (whole && h.gen < gen[b]) {
        lost++;
        fail("BLOCK DATA BROKEN: stale generation read back", b, h.gen);
    } else {
        corrupt++;
        fail("BLOCK DATA BROKEN: contents differ", b, h.gen);
    }
}

static void verify_block(uint64_t b)
{
    size_t len = 0;
    uint64_t e = AGAIN(block_read(BLOCK, b * PER_BLOCK, PER_BLOCK, got, sizeof got, &len));
    reads++;
    if (e || len != BYTES) {
        fail("read failed", b, e ? e : len);
        return;
    }
    if (!gen[b])
        return;                         /* never confirmed written (unknown): no verdict */
    fill(want, b, gen[b]);
    if (memcmp(got, want, BYTES))
        classify(b);
    else
        verified += BYTES;
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* One round after the first: a quarter of the blocks rewritten with their next
 * generation, as many read back at random, then a flush. */
static void round_of(uint64_t *rng)
{
    for (uint64_t i = 0; i < (nblocks + 3) / 4; i++) {
        uint64_t b = next_random(rng) % nblocks;
        write_block(b, gen[b] + 1);
        verify_block(next_random(rng) % nblocks);
    }
    if (AGAIN(block_flush(BLOCK)))
        fail("flush failed", 0, 0);
}

static int published(const char *name)
{
    uint64_t type = 0, ival = 0;
    return !datastore_retrieve(RS_GIVEN_DS, name, strlen(name), 0, 0, 0, &type, &ival);
}

/* The final check of the session's own count against the writes confirmed. */
static void check_stats(void)
{
    uint64_t n = 0, sectors = 0;
    if (AGAIN(block_stats(BLOCK, &n, &sectors, &resumed)))
        fail("stats failed", 0, 0);
    else if (!unknown && (n != writes || sectors != writes * PER_BLOCK))
        fail("the session's writes differ from the writes confirmed", 0, n);
}

static int workload(const char *until)
{
    uint64_t rng = seed * 0x2545F4914F6CDD1Dull | 1, rounds = arg("rounds", 3), r = 0;
    for (uint64_t b = 0; b < nblocks; b++)
        write_block(b, 1);
    for (uint64_t b = 0; b < nblocks; b++)
        verify_block(b);
    for (; r < rounds || (*until && !published(until)); r++)
        round_of(&rng);
    if (AGAIN(block_flush(BLOCK)))
        fail("flush failed", 0, 0);
    for (uint64_t b = 0; b < nblocks; b++)
        verify_block(b);
    check_stats();
    int broken = errors || lost || duplicated || corrupt || unknown;
    rs_info("%s: %lu writes, %lu reads, %lu bytes verified, %lu rounds, %lu lost, "
            "%lu duplicated, %lu corrupt, %lu unknown, %lu errors; session writes %lu, "
            "%lu resumed after a crash", broken ? "BLOCK DATA BROKEN" : "block workload intact",
            (unsigned long)writes, (unsigned long)reads, (unsigned long)verified,
            (unsigned long)r + 1, (unsigned long)lost, (unsigned long)duplicated,
            (unsigned long)corrupt, (unsigned long)unknown, (unsigned long)errors,
            (unsigned long)session_writes, (unsigned long)resumed);
    report_outages();
    return broken ? 1 : 0;
}

/* One malformed request and the error it must get. */
static int refused(const char *what, uint64_t e, uint64_t expected)
{
    if (e == expected)
        return 1;
    rs_error("%s: answered %lu, not %lu", what, (unsigned long)e, (unsigned long)expected);
    return 0;
}

static int bad_requests(uint64_t sectors)
{
    static uint8_t buf[BYTES + 1];
    size_t len;
    uint64_t c, n;
    int ok = 0, tried = 0;
#define TRY(what, call, err) (tried++, ok += refused(what, AGAIN(call), err))
    TRY("read past the end", block_read(BLOCK, sectors, 1, buf, BYTES, &len), RS_E_RANGE);
    TRY("read across the end", block_read(BLOCK, sectors - 4, 8, buf, BYTES, &len), RS_E_RANGE);
    TRY("read beyond LBA28", block_read(BLOCK, 1ull << 40, 1, buf, BYTES, &len), RS_E_RANGE);
    TRY("read of 0 sectors", block_read(BLOCK, 0, 0, buf, BYTES, &len), RS_E_INVAL);
    TRY("read of 9 sectors", block_read(BLOCK, 0, 9, buf, BYTES, &len), RS_E_INVAL);
    TRY("write of 100 bytes", block_write(BLOCK, 0, buf, 100, &c, &n), RS_E_ALIGN);
    TRY("write of 513 bytes", block_write(BLOCK, 0, buf, 513, &c, &n), RS_E_ALIGN);
    TRY("write of 0 bytes", block_write(BLOCK, 0, buf, 0, &c, &n), RS_E_INVAL);
    TRY("write past the end", block_write(BLOCK, sectors, buf, SECTOR, &c, &n), RS_E_RANGE);
    TRY("write across the end", block_write(BLOCK, sectors - 1, buf, BYTES, &c, &n), RS_E_RANGE);
    write_block(0, 1);                  /* and the driver still serves good ones */
    verify_block(0);
    check_stats();
    int good = ok == tried && !errors && verified == BYTES;
    rs_info("%s: %d of %d bad requests refused with their errors; a good write and read "
            "after them %s", good ? "bad requests refused" : "BAD REQUESTS NOT REFUSED", ok,
            tried, verified == BYTES ? "verified" : "FAILED");
    return good ? 0 : 1;
}

int main(void)
{
    char until[48] = "", mode[8] = "work";
    uint64_t sectors = 0, size = 0;
    rs_arg("until", until, sizeof until);
    rs_arg("mode", mode, sizeof mode);
    seed = arg("seed", 1);
    nblocks = arg("blocks", 64);
    if (rs_lookup_wait("block", BLOCK, 5000) || rs_lookup_recovering("block", BLOCK)
        || AGAIN(block_size(BLOCK, &sectors, &size)) || size != SECTOR) {
        rs_error("cannot find the block device");
        return 1;
    }
    if (nblocks > MAX_BLOCKS || nblocks * PER_BLOCK > sectors) {
        rs_error("%lu blocks do not fit the disk's %lu sectors", (unsigned long)nblocks,
                 (unsigned long)sectors);
        return 1;
    }
    rs_info("disk of %lu sectors; %s", (unsigned long)sectors,
            strcmp(mode, "bad") ? "writing and verifying" : "sending bad requests");
    rs_service_ready();
    return strcmp(mode, "bad") ? workload(until) : bad_requests(sectors);
}
