/* lwIP's network interface over the Ethernet protocol: frames lwIP sends go to the
 * NIC driver (ether send), frames the driver received come in through net_poll().
 * The driver is found by name ("ether"); when it dies, libsys's capability-fault
 * handler finds the next incarnation and the call goes on there, so lwIP never
 * sees a driver restart, only (perhaps) a lost frame, which TCP sends again. */
#include <string.h>
#include <lwip/etharp.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <netif/ethernet.h>
#include <proto/ether.h>
#include <rs_ether.h>
#include <rs_log.h>
#include "net.h"

static uint64_t ether_ep;
static uint8_t frame[ETHER_MAX];
static struct net_counts counts;

const struct net_counts *net_counts(void) { return &counts; }

static err_t output(struct netif *n, struct pbuf *p)
{
    (void)n;
    if (p->tot_len > ETHER_MAX) {
        counts.tx_refused++;
        return ERR_BUF;
    }
    pbuf_copy_partial(p, frame, p->tot_len, 0);
    uint64_t sent = 0, e = ether_send(ether_ep, frame, p->tot_len, &sent);
    if (e) {
        counts.tx_lost++;           /* as a wire loses one: TCP sends it again */
        return ERR_OK;
    }
    counts.tx++;
    return ERR_OK;
}

static err_t init(struct netif *n)
{
    uint64_t mac = 0, mtu = 0, link = 0;
    if (ether_info(ether_ep, &mac, &mtu, &link))
        return ERR_IF;
    n->hwaddr_len = ETHER_ADDR;
    ether_mac_bytes(mac, n->hwaddr);
    n->mtu = (u16_t)mtu;
    n->name[0] = 'e', n->name[1] = '0';
    n->output = etharp_output;
    n->linkoutput = output;
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

err_t net_netif_add(struct netif *n, uint64_t ep, const ip4_addr_t *ip, const ip4_addr_t *mask,
                    const ip4_addr_t *gw)
{
    ether_ep = ep;
    if (!netif_add(n, ip, mask, gw, 0, init, ethernet_input))
        return ERR_IF;
    netif_set_default(n);
    netif_set_up(n);
    return ERR_OK;
}

int net_poll(struct netif *n, unsigned max)
{
    int got = 0;
    for (unsigned i = 0; i < max; i++) {
        size_t len = 0;
        uint64_t more = 0, e = ether_recv(ether_ep, sizeof frame, frame, sizeof frame, &len, &more);
        if (e == RS_E_NOENT)
            break;
        if (e) {
            counts.rx_errors++;
            break;
        }
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (!p) {
            counts.rx_dropped++;    /* the stack is full: dropped, as a busy host would */
            continue;
        }
        pbuf_take(p, frame, (u16_t)len);
        counts.rx++;
        got++;
        if (n->input(p, n) != ERR_OK)
            pbuf_free(p);
        if (!more)
            break;
    }
    return got;
}
