/* Outages as a client sees them, for the restart tests and benchmarks (chatter,
 * kvclient): each is the time from a call that met a dead server to its answer
 * from the next (recovery included), in TSC ticks; report_outages logs
 * "outages=N median_us=.. p99_us=.. max_us=.." (scripts/bench.py reads it). */
#pragma once
#include <stdint.h>
#include <stdlib.h>
#include <rs_log.h>
#include <rsys.h>

#define MAX_OUTAGES 4096

static uint64_t outages[MAX_OUTAGES];
static unsigned noutages;

static void outage_add(uint64_t ticks)
{
    if (noutages < MAX_OUTAGES)
        outages[noutages++] = ticks;
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t us(uint64_t ticks)
{
    uint64_t hz = rs_tsc_hz();
    return hz ? (uint64_t)((unsigned __int128)ticks * 1000000u / hz) : 0;
}

static void report_outages(void)
{
    if (!noutages)
        return;
    qsort(outages, noutages, sizeof outages[0], by_value);
    rs_info("outages=%u median_us=%lu p99_us=%lu max_us=%lu", noutages,
            us(outages[noutages / 2]), us(outages[noutages * 99 / 100]),
            us(outages[noutages - 1]));
}
