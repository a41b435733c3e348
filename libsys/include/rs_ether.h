/* What every Ethernet driver and its clients agree on (protocol: proto ether in
 * protocols.tbl). A frame is the destination and source addresses, the type and
 * the payload, without the preamble or the frame check sequence (the device adds
 * and checks those). Drivers publish their endpoint as "ether" in the data store. */
#pragma once
#include <stdint.h>

#define ETHER_ADDR   6
#define ETHER_HEADER 14
#define ETHER_MTU    1500
#define ETHER_MAX    (ETHER_HEADER + ETHER_MTU)     /* 1514 */
#define ETHER_MIN    60             /* shorter frames are padded with zeros to this */

/* The MAC address of an ether info answer, as its 6 bytes. */
static inline void ether_mac_bytes(uint64_t mac, uint8_t out[ETHER_ADDR])
{
    for (int i = 0; i < ETHER_ADDR; i++)
        out[i] = (uint8_t)(mac >> (8 * i));
}

static inline uint64_t ether_mac_word(const uint8_t mac[ETHER_ADDR])
{
    uint64_t w = 0;
    for (int i = 0; i < ETHER_ADDR; i++)
        w |= (uint64_t)mac[i] << (8 * i);
    return w;
}
