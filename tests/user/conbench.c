/* Console throughput benchmark: writes 256 KiB through the console driver in
 * 4 KiB calls and reports bytes per second of guest time, timed with the TSC
 * (whose frequency the kernel measured at boot). */
#include <string.h>
#include <proto/console.h>
#include <rs_console.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>

enum { CONSOLE = 20 };
#define TOTAL (256 * 1024)
#define CHUNK 4096

static char chunk[CHUNK];

int main(void)
{
    if (rs_lookup_wait("console", CONSOLE, 5000))
        return 1;
    rs_service_ready();
    for (int i = 0; i < CHUNK; i++)
        chunk[i] = (i % 64 == 63) ? '\n' : (char)('a' + i % 26);
    uint64_t hz = rs_tsc_hz(), c0 = rs_tsc();
    for (int sent = 0; sent < TOTAL; sent += CHUNK)
        if (rs_console_write(CONSOLE, chunk, CHUNK, 0))
            return 2;
    uint64_t ticks = rs_tsc() - c0;
    uint64_t us = hz ? ticks * 1000 / (hz / 1000) : 0;    /* timed by the TSC */
    rs_info("bench: console_throughput bytes=%d us=%lu tsc=%lu tsc_hz=%lu bytes_per_s=%lu",
            TOTAL, us, ticks, hz, us ? (uint64_t)TOTAL * 1000000 / us : 0);
    return 0;
}
