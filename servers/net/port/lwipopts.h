/* lwIP's configuration for Resurgo's network server (servers/net): the raw API in
 * one thread (NO_SYS), IPv4 with ARP, ICMP, UDP and TCP over one Ethernet netif.
 * The sizes bound everything the stack can hold; lwIP allocates only from these. */
#pragma once

#define NO_SYS                  1
#define SYS_LIGHTWEIGHT_PROT    0
#define LWIP_SOCKET             0
#define LWIP_NETCONN            0
#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ARP                1
#define LWIP_ETHERNET           1
#define LWIP_ICMP               1
#define LWIP_UDP                1
#define LWIP_TCP                1
#define LWIP_DHCP               0
#define LWIP_AUTOIP             0
#define LWIP_IGMP               0
#define LWIP_DNS                0
#define LWIP_STATS              0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK   0

#define MEM_ALIGNMENT           8
#define MEM_SIZE                (256 * 1024)
#define MEMP_NUM_PBUF           64
#define MEMP_NUM_UDP_PCB        4
#define MEMP_NUM_TCP_PCB        8
#define MEMP_NUM_TCP_PCB_LISTEN 4
#define MEMP_NUM_TCP_SEG        64
#define PBUF_POOL_SIZE          64
#define PBUF_POOL_BUFSIZE       1536

#define TCP_MSS                 1460
#define TCP_WND                 (8 * TCP_MSS)
#define TCP_SND_BUF             (8 * TCP_MSS)
#define TCP_SND_QUEUELEN        32
#define LWIP_TCP_KEEPALIVE      0

#define LWIP_CHKSUM_ALGORITHM   3
#define LWIP_RAND()             ((u32_t)rand())
#define LWIP_NOASSERT_ON_ERROR  0
