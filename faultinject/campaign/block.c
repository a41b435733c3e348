/* The block workload (a block driver target): request k of experiment x writes
 * one 4 KiB block, filled from a PRNG keyed by x and k, through "block" and
 * reads it back; the block read must be the block written, every byte. A write
 * whose outcome is unknown (a crash cut it short and no record answers it, or
 * its call timed out) is unknown and sent again: rewriting a block with the same
 * bytes changes nothing. Each write's answer carries the session's count of
 * writes, which must be the count before plus one: more is a write run twice,
 * fewer a confirmed one forgotten, both wrong answers (corrupt), as is a block
 * read back other than written. A count of 0 is a write the driver did without
 * a session (it says so: no exactly-once for it), and a short answer (fewer
 * sectors written or bytes read than asked) one the client sees: both are asked
 * again, not wrong. */
#include <string.h>
#include <proto/block.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rsys.h>
#include "workload.h"

enum { SECTOR = 512, PER_BLOCK = 8, BYTES = SECTOR * PER_BLOCK, BLOCKS_MAX = 256 };

static uint64_t nblocks;                /* the blocks requests go to, from block 0 */
static uint64_t exp_now, lines_now;     /* the experiment running, its requests */
static uint64_t session_writes;         /* the session's count, as the last write said */
static int resync;                      /* an unknown outcome or a new session: the next
                                           count is taken as it is */
static uint8_t want[BYTES], got[BYTES];

int block_setup(void)
{
    uint64_t sectors = 0, size = 0;
    if (block_size(WORK, &sectors, &size) || size != SECTOR || sectors < PER_BLOCK)
        return -1;
    nblocks = sectors / PER_BLOCK < BLOCKS_MAX ? sectors / PER_BLOCK : BLOCKS_MAX;
    return 0;
}

/* Request k's block and its contents (the same bytes each time it is asked). */
static uint64_t fill(unsigned k)
{
    uint64_t x = (exp_now * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)k << 40) ^ 0x5DEECE66Dull;
    for (size_t i = 0; i < BYTES; i += 8) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        memcpy(want + i, &x, 8);
    }
    return (exp_now * lines_now + k) % nblocks;
}

/* A write's answer: right (AGAIN: go on to read), or the session's count wrong. */
static enum patient written(uint64_t count, uint64_t n)
{
    if (n == 0) {                       /* no session: nothing to count against */
        resync = 1;
        return count == PER_BLOCK ? PATIENT_OK : PATIENT_AGAIN;
    }
    int counted = resync || n == session_writes + 1;
    if (!counted)                       /* a write run twice, or one forgotten */
        rs_warn("wrong answer: write %lu of the session after %lu", n, session_writes);
    session_writes = n, resync = 0;
    if (!counted)
        return PATIENT_WRONG;
    return count == PER_BLOCK ? PATIENT_OK : PATIENT_AGAIN;   /* short: again, whole */
}

/* Says how the block read back differs from the one written. */
static enum patient wrong_read(uint64_t lba)
{
    size_t i = 0;
    while (i < BYTES && got[i] == want[i])
        i++;
    rs_warn("wrong answer: sectors %lu.. read back differ from those written from byte %lu",
            lba, i);
    return PATIENT_WRONG;
}

static enum patient block_once(unsigned k, struct outcome *o)
{
    uint64_t lba = fill(k) * PER_BLOCK, count = 0, n = 0;
    uint64_t e = block_write(WORK, lba, want, BYTES, &count, &n);
    if (e == RS_E_UNKNOWN || e == RS_E_TIMEOUT) {
        o->unknown++, resync = 1;       /* written or not: again */
        return e == RS_E_TIMEOUT ? PATIENT_TIMEOUT : PATIENT_AGAIN;
    }
    resync |= e == RS_E_SESSION;        /* (a new session counts from 0) */
    if (e)
        return patient_failed(e);
    enum patient w = written(count, n);
    if (w != PATIENT_OK)
        return w;
    size_t len = 0;
    e = block_read(WORK, lba, PER_BLOCK, got, sizeof got, &len);
    resync |= e == RS_E_SESSION;
    if (e)
        return patient_failed(e);
    if (len != BYTES)
        return PATIENT_AGAIN;           /* short: again, whole */
    return !memcmp(got, want, BYTES) ? PATIENT_OK : wrong_read(lba);
}

void block_workload(uint64_t exp, unsigned lines, struct outcome *o)
{
    uint64_t sectors = 0, resumed = 0;
    exp_now = exp, lines_now = lines;
    resync = block_stats(WORK, &session_writes, &sectors, &resumed) != 0;   /* the count
                                                                           before */
    patiently(lines, block_once, o);
}
