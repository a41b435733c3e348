/* The Ethernet drivers' own workload: through "ether" (any NIC driver), asks QEMU's
 * user-mode network for its gateway's address (ARP, 10.0.2.15 -> 10.0.2.2) `count`
 * times, each until answered (a request or answer lost to a driver's crash is asked
 * again, at most `tries` times), and checks every answer: an ARP reply for the
 * address asked, to our MAC, from the gateway. With until=NAME it goes on until
 * NAME is published (the crasher's "crash-done"). With bad=1 it first checks
 * that malformed calls are refused (bad_input). Prints one verdict line. */
#include <stdlib.h>
#include <string.h>
#include <proto/datastore.h>
#include <proto/ether.h>
#include <rs_ether.h>
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include <rsys.h>

enum { ETHER = 20 };

#define ARP_FRAME 42
#define WAIT_MS 200
#define FIRST_WAIT_MS 2000          /* a reset e1000 holds received frames for 1 s */

static uint8_t mac[ETHER_ADDR];
static const uint8_t my_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };
static uint64_t bad, errors;

static void arp_request(uint8_t *f)
{
    memset(f, 0, ARP_FRAME);
    memset(f, 0xFF, ETHER_ADDR);                    /* to everyone */
    memcpy(f + 6, mac, ETHER_ADDR);
    f[12] = 0x08, f[13] = 0x06;                     /* ARP */
    f[14] = 0, f[15] = 1, f[16] = 0x08, f[17] = 0;  /* Ethernet, IPv4 */
    f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 1;     /* request */
    memcpy(f + 22, mac, ETHER_ADDR);
    memcpy(f + 28, my_ip, 4);
    memcpy(f + 38, gw_ip, 4);
}

/* 1 for the gateway's answer to us, 0 for another frame, -1 for a wrong answer. */
static int is_answer(const uint8_t *f, size_t n)
{
    if (n < ARP_FRAME || f[12] != 0x08 || f[13] != 0x06 || f[21] != 2)
        return 0;
    if (memcmp(f, mac, ETHER_ADDR) || memcmp(f + 28, gw_ip, 4) || memcmp(f + 32, mac, 6)
        || memcmp(f + 38, my_ip, 4))
        return -1;
    return 1;
}

/* Sends one request and waits for its answer; 1 if it came. */
static int ask(void)
{
    uint8_t f[ETHER_MAX];
    uint64_t sent = 0, more = 0;
    arp_request(f);
    uint64_t e = ether_send(ETHER, f, ARP_FRAME, &sent);
    if (e && e != RS_E_UNKNOWN)
        errors++;
    for (uint64_t until = rs_time_ms() + WAIT_MS; rs_time_ms() < until;) {
        size_t n = 0;
        e = ether_recv(ETHER, sizeof f, f, sizeof f, &n, &more);
        if (e == RS_E_NOENT) {
            rs_sleep(1);
            continue;
        }
        if (e) {
            errors++;
            continue;
        }
        int a = is_answer(f, n);
        if (a < 0 && bad++ < 5)
            rs_error("a wrong ARP answer (%zu bytes)", n);
        if (a > 0)
            return 1;
    }
    return 0;
}

/* With bad=1, first: malformed calls, each refused with its error: sends of 13
 * and 1515 bytes, and a recv with less room than the frame it would take (that
 * frame is dropped, as the protocol says); then a send and recv that work. */
static int bad_input(void)
{
    uint8_t f[ETHER_MAX + 1];
    uint64_t sent = 0, more = 0;
    size_t n = 0;
    arp_request(f);
    uint64_t short_e = ether_send(ETHER, f, ETHER_HEADER - 1, &sent);
    uint64_t long_e = ether_send(ETHER, f, ETHER_MAX + 1, &sent);
    uint64_t e = ether_send(ETHER, f, ARP_FRAME, &sent), small_e = RS_E_NOENT;
    for (uint64_t until = rs_time_ms() + FIRST_WAIT_MS; !e && small_e == RS_E_NOENT
         && rs_time_ms() < until; rs_sleep(1))
        small_e = ether_recv(ETHER, ETHER_HEADER, f, sizeof f, &n, &more);
    int works = 0;
    for (int t = 0; t < 5 && !works; t++)
        works = ask();
    if (short_e == RS_E_RANGE && long_e == RS_E_RANGE && small_e == RS_E_RANGE && works) {
        rs_info("bad input refused: sends of 13 and 1515 bytes, a recv with room for 14 "
                "(RS_E_RANGE each); the driver serves on");
        return 0;
    }
    rs_error("BAD INPUT NOT REFUSED: short send %s, long send %s, send %s, small recv %s, "
             "then %s", rs_error_name(short_e), rs_error_name(long_e), rs_error_name(e),
             rs_error_name(small_e), works ? "answered" : "no answer");
    return 1;
}

/* Whether until is published (the crasher publishes "crash-done" as a value, not
 * a capability: looking up a capability would never find it). */
static int done(const char *until)
{
    uint64_t type = 0, ival = 0;
    return until[0] && !datastore_retrieve(RS_GIVEN_DS, until, strlen(until), 0, 0, 0, &type,
                                           &ival);
}

int main(void)
{
    char v[24], until[24] = "";
    uint64_t count = rs_arg("count", v, sizeof v) ? strtoull(v, 0, 0) : 20;
    uint64_t tries = rs_arg("tries", v, sizeof v) ? strtoull(v, 0, 0) : 20;
    rs_arg("until", until, sizeof until);
    uint64_t w = 0, mtu = 0, link = 0;
    if (rs_lookup_wait("ether", ETHER, 5000) || rs_lookup_recovering("ether", ETHER)
        || ether_info(ETHER, &w, &mtu, &link)) {
        rs_error("cannot find the Ethernet driver");
        return 1;
    }
    ether_mac_bytes(w, mac);
    rs_service_ready();
    rs_info("MAC %02x:%02x:%02x:%02x:%02x:%02x, mtu %lu, link %s", mac[0], mac[1], mac[2],
            mac[3], mac[4], mac[5], (unsigned long)mtu, link ? "up" : "down");
    if (rs_arg("bad", v, sizeof v) && strtoull(v, 0, 0) && bad_input())
        errors++;
    uint64_t answered = 0, unanswered = 0, asked = 0, retried = 0;
    for (uint64_t i = 0; i < count || (until[0] && !done(until)); i++) {
        unsigned t = 0;
        while (t < tries && !ask())
            t++;
        asked++, retried += t;
        if (t < tries)
            answered++;
        else
            unanswered++;
    }
    if (bad || errors || unanswered)
        rs_error("ETHERNET BROKEN: %lu asked, %lu answered, %lu unanswered, %lu wrong, "
                 "%lu errors", (unsigned long)asked, (unsigned long)answered,
                 (unsigned long)unanswered, (unsigned long)bad, (unsigned long)errors);
    else
        rs_info("ARP through the driver: %lu asked, %lu answered (%lu asked again), "
                "0 wrong, 0 errors", (unsigned long)asked, (unsigned long)answered,
                (unsigned long)retried);
    return 0;
}
