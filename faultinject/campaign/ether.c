/* The Ethernet workload (a NIC driver target): ARP exchanges with QEMU's
 * user-network gateway through "ether". Answered is ok, never answered an
 * error, an answer that is not the right one (wrong addresses) corrupt: the
 * driver delivered a frame that is not what the wire carried. */
#include <string.h>
#include <proto/ether.h>
#include <rs_ether.h>
#include <rs_libc.h>
#include <rsys.h>
#include "workload.h"

#define ETHER_WAIT_MS 100           /* for the answer to one request */
static const uint8_t my_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };
static uint8_t my_mac[ETHER_ADDR];

int ether_setup(void)
{
    uint64_t mac = 0, mtu = 0, link = 0;
    if (ether_info(WORK, &mac, &mtu, &link))
        return -1;
    ether_mac_bytes(mac, my_mac);
    return 0;
}

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

/* OK: the gateway's answer to us; AGAIN: another frame; WRONG: an ARP reply
 * that is wrong. */
static enum patient arp_answer(const uint8_t *f, size_t n)
{
    if (n < 42 || f[12] != 0x08 || f[13] != 0x06 || f[21] != 2)
        return PATIENT_AGAIN;
    return memcmp(f, my_mac, 6) || memcmp(f + 28, gw_ip, 4) || memcmp(f + 32, my_mac, 6)
           || memcmp(f + 38, my_ip, 4) ? PATIENT_WRONG : PATIENT_OK;
}

/* One exchange: a request sent, ETHER_WAIT_MS for its answer. */
static enum patient arp_once(unsigned k, struct outcome *o)
{
    uint8_t f[ETHER_MAX];
    uint64_t sent = 0, more = 0;
    (void)k, (void)o;
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
        enum patient a = e ? PATIENT_AGAIN : arp_answer(f, n);
        if (a != PATIENT_AGAIN)
            return a;
    }
    return e ? patient_failed(e) : PATIENT_AGAIN;
}

void ether_workload(unsigned lines, struct outcome *o)
{
    patiently(lines, arp_once, o);
}
