/* The network server: lwIP (Debian's lwip source, built by the Makefile, never
 * copied here) over whatever NIC driver serves "ether", at 10.0.2.15/24 behind
 * QEMU's user-mode network (gateway 10.0.2.2), running UDP and TCP echo on port 7
 * for the host-side workload. One thread, lwIP's raw API: take the frames the
 * driver has, run lwIP's timers, sleep a millisecond when there was nothing.
 *
 * A driver crash is invisible here but for frames: a call that met the dead
 * driver goes on with its next incarnation (capability fault, libsys), a frame
 * lost on the way is lost as on a wire, and TCP sends it again. Arguments:
 * ip=A.B.C.D gw=A.B.C.D port=N (defaults: QEMU's user network, 7). */
#include <string.h>
#include <lwip/init.h>
#include <lwip/ip4_addr.h>
#include <lwip/timeouts.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>
#include "net.h"

enum { ETHER = 20 };

#define REPORT_MS 2000

u32_t sys_now(void)
{
    return (u32_t)rs_time_ms();
}

static void address(const char *key, const char *dflt, ip4_addr_t *out)
{
    char v[20];
    if (!rs_arg(key, v, sizeof v) || !ip4addr_aton(v, out)) {
        if (rs_arg(key, v, sizeof v))
            rs_warn("%s=%s is not an IPv4 address: using %s", key, v, dflt);
        ip4addr_aton(dflt, out);
    }
}

static void report(void)
{
    static uint64_t last;
    const struct net_counts *c = net_counts();
    const struct net_echo_counts *e = net_echo_counts();
    uint64_t now = c->tx + c->rx;
    if (now == last)
        return;
    last = now;
    rs_info("frames %lu out, %lu in (%lu lost on the way out, %lu dropped for room); "
            "echoed %lu datagrams, %lu TCP bytes on %lu connections",
            (unsigned long)c->tx, (unsigned long)c->rx, (unsigned long)c->tx_lost,
            (unsigned long)c->rx_dropped, (unsigned long)e->datagrams,
            (unsigned long)e->tcp_bytes, (unsigned long)e->connections);
}

int main(void)
{
    static struct netif netif;
    ip4_addr_t ip, mask, gw;
    char v[8];
    uint16_t port = rs_arg("port", v, sizeof v) ? (uint16_t)atoi(v) : 7;
    address("ip", "10.0.2.15", &ip);
    address("mask", "255.255.255.0", &mask);
    address("gw", "10.0.2.2", &gw);
    if (rs_lookup_wait("ether", ETHER, 5000) || rs_lookup_recovering("ether", ETHER)) {
        rs_error("no Ethernet driver (\"ether\" in the data store)");
        return 1;
    }
    lwip_init();
    if (net_netif_add(&netif, ETHER, &ip, &mask, &gw) != ERR_OK || net_echo_start(port)) {
        rs_error("cannot bring up lwIP on the Ethernet driver");
        return 1;
    }
    rs_service_ready();
    rs_info("lwIP %s at %s, UDP and TCP echo on port %u", LWIP_VERSION_STRING,
            ip4addr_ntoa(&ip), port);
    for (uint64_t next = rs_time_ms() + REPORT_MS;;) {
        if (!net_poll(&netif, 32))
            rs_sleep(1);
        sys_check_timeouts();
        if (rs_time_ms() >= next) {
            report();
            next = rs_time_ms() + REPORT_MS;
        }
    }
}
