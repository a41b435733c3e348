/* The network server's parts: the netif over the Ethernet protocol (netif.c) and
 * the services it runs on lwIP (echo.c). */
#pragma once
#include <stdint.h>
#include <lwip/netif.h>

struct net_counts {
    uint64_t tx, rx, tx_lost, tx_refused, rx_dropped, rx_errors;
};

/* Adds the interface over the driver at endpoint slot ep, up, as the default. */
err_t net_netif_add(struct netif *n, uint64_t ep, const ip4_addr_t *ip, const ip4_addr_t *mask,
                    const ip4_addr_t *gw);
/* Feeds lwIP at most max frames the driver has; how many came. */
int net_poll(struct netif *n, unsigned max);
const struct net_counts *net_counts(void);

/* UDP and TCP echo on `port`: every datagram back to its sender, every byte of a
 * TCP connection back on it, in order. */
int net_echo_start(uint16_t port);
struct net_echo_counts {
    uint64_t datagrams, udp_bytes, connections, tcp_bytes;
};
const struct net_echo_counts *net_echo_counts(void);
