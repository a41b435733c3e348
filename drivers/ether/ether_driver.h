/* The part every Ethernet driver shares (ether_driver.c, linked into each NIC
 * driver): the Ethernet protocol's server (<proto/ether.h>: info, send, recv,
 * stats), published as "ether", with at-most-once sends through the session
 * region. A driver supplies
 * the device: how to bring it up (fresh or after a crash), how to hand it one
 * frame, and how to take one received frame. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <rs_ether.h>

struct rs_ether_device {
    const char *name;
    /* Takes and resets the device; sets *mac. 0, or the exit status of a failed
     * start (the driver has logged why). The endpoint is the framework's. */
    int (*start)(uint64_t *mac);
    /* Hands the device `frame` (n bytes, 60..1514, padded): it is sent. It must
     * call mark(progress) right before the one store that gives the frame to the
     * device, and wait (bounded) for room first; a device that never has room is
     * a failure of the driver (rs_panic). */
    void (*transmit)(const uint8_t *frame, size_t n, void (*mark)(uint64_t *), uint64_t *progress);
    /* The next received frame into out (room for ETHER_MAX): its length, 0 for
     * none. Anything the device wrote is checked before it is believed. */
    size_t (*receive)(uint8_t *out);
    /* Whether another frame is waiting (for recv's `more`), and the link state. */
    int (*more)(void);
    int (*link)(void);
};

/* Runs the driver's server: never returns unless its start fails. */
int rs_ether_driver_run(const struct rs_ether_device *dev);

/* Frames this incarnation dropped (a ring overflow, a header that made no sense):
 * the driver counts them here, ether stats reports them. */
void rs_ether_dropped(void);
