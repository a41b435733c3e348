/* Writing event lines (see events.h): QEMU's debug console at port 0xE9, one
 * byte per OUT, and an info line on the kernel log. */
#include <string.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rsys.h>
#include "events.h"

#define DEBUGCON_PORT 0xE9

static int channel_open;

void event_channel_open(uint64_t platform_slot, uint64_t ports_slot)
{
    channel_open = !rs_platform_ioports(platform_slot, DEBUGCON_PORT, 1, ports_slot)
                   && !rs_ioports_enable(ports_slot);
    if (!channel_open)
        rs_warn("no event channel (port %#x): events go to the kernel log only", DEBUGCON_PORT);
}

static void channel_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        __asm__ volatile("outb %0, %1" : : "a"((uint8_t)s[i]), "Nd"((uint16_t)DEBUGCON_PORT));
}

void event_emit(const struct event *e)
{
    char line[EVENT_LINE_MAX];
    uint64_t hz = rs_tsc_hz();
    uint64_t t_us = hz ? (uint64_t)((unsigned __int128)rs_tsc() * 1000000u / hz) : 0;
    size_t n = event_format(e, t_us, line, sizeof line);
    if (channel_open)
        channel_write(line, n);
    if (n && line[n - 1] == '\n')
        n--;
    rs_info("event %.*s", (int)n, line);
}
