/* Block benchmark: `ops` 4 KiB writes, then as many 4 KiB reads, through "block"
 * (whichever driver serves it), each timed with the TSC; with every=N it has RS
 * crash the driver (svc_crash exit, the policy restarts it) before every N-th
 * request, so the same workload is measured across restarts. Reports one line per
 * direction: requests, MiB/s of guest time and latency percentiles in us; every
 * block read back is compared with what was written. Arguments: ops=N every=N
 * target=NAME (the driver's service name, for the crashes). */
#include <stdlib.h>
#include <string.h>
#include <proto/block.h>
#include <proto/system.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>

enum { BLOCK = 20, OPS_MAX = 4096, BYTES = 4096, SECTORS = 8 };

static uint64_t lat[OPS_MAX];
static uint8_t buf[BYTES], back[BYTES];

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void fill(uint64_t block)
{
    for (unsigned i = 0; i < BYTES; i += 8) {
        uint64_t w = (block + 1) * 0x9E3779B97F4A7C15ull ^ i;
        memcpy(buf + i, &w, 8);
    }
}

static void report(const char *what, uint64_t n, uint64_t total_ticks)
{
    uint64_t hz = rs_tsc_hz();
    qsort(lat, n, sizeof lat[0], cmp);
    uint64_t us = hz ? total_ticks * 1000000 / hz : 0;
    uint64_t median = hz ? lat[n / 2] * 1000000 / hz : 0, p99 = hz ? lat[n * 99 / 100] * 1000000 / hz : 0;
    rs_info("bench: block_%s requests=%lu us=%lu kib_per_s=%lu median_us=%lu p99_us=%lu", what,
            (unsigned long)n, (unsigned long)us,
            (unsigned long)(us ? n * (BYTES / 1024) * 1000000 / us : 0), (unsigned long)median,
            (unsigned long)p99);
}

/* Before request i: with every=N, RS crashes the driver (it comes back by policy). */
static void maybe_crash(uint64_t i, uint64_t every, const char *target)
{
    if (every && i && i % every == 0)
        system_svc_crash(RS_GIVEN_SYSTEM, SVC_CRASH_EXIT, target, strlen(target));
}

int main(void)
{
    char v[24], target[24] = "";
    uint64_t ops = rs_arg("ops", v, sizeof v) ? strtoull(v, 0, 0) : 512;
    uint64_t every = rs_arg("every", v, sizeof v) ? strtoull(v, 0, 0) : 0;
    uint64_t sectors = 0, size = 0, count = 0, writes = 0;
    size_t n = 0;
    rs_arg("target", target, sizeof target);
    ops = ops > OPS_MAX ? OPS_MAX : ops;
    if (rs_lookup_wait("block", BLOCK, 5000) || rs_lookup_recovering("block", BLOCK)
        || block_size(BLOCK, &sectors, &size) || ops * SECTORS > sectors) {
        rs_error("no block device for %lu blocks", (unsigned long)ops);
        return 1;
    }
    rs_service_ready();
    uint64_t t0 = rs_tsc();
    for (uint64_t i = 0; i < ops; i++) {
        maybe_crash(i, every, target);
        fill(i);
        uint64_t s = rs_tsc();
        if (block_write(BLOCK, i * SECTORS, buf, BYTES, &count, &writes)) {
            rs_error("write %lu failed", (unsigned long)i);
            return 2;
        }
        lat[i] = rs_tsc() - s;
    }
    report("write_4k", ops, rs_tsc() - t0);
    t0 = rs_tsc();
    for (uint64_t i = 0; i < ops; i++) {
        maybe_crash(i, every, target);
        uint64_t s = rs_tsc();
        if (block_read(BLOCK, i * SECTORS, SECTORS, back, BYTES, &n) || n != BYTES) {
            rs_error("read %lu failed", (unsigned long)i);
            return 2;
        }
        lat[i] = rs_tsc() - s;
        fill(i);
        if (memcmp(buf, back, BYTES)) {
            rs_error("BLOCK DATA BROKEN: block %lu read back wrong", (unsigned long)i);
            return 3;
        }
    }
    report("read_4k", ops, rs_tsc() - t0);
    return 0;
}
