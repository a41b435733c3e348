/* Hang detection and timed work in RS, on one timer: heartbeat deadlines, the
 * ready deadline of a starting service, back-off restarts and crash requests not
 * yet delivered. RS never blocks on a service: everything here is a poll. */
#pragma once
#include <stdint.h>
#include "service.h"

/* Creates the timer and the notification RS's thread waits on with its endpoint. */
uint64_t watch_init(void);

/* The timer fired (or anything changed): handle what is due, re-arm. */
void watch_tick(void);

/* RS did long work: heartbeat verdicts wait WATCH_GRACE_MS, so beats queued
 * meanwhile are read first. */
#define WATCH_GRACE_MS 20
void watch_rs_was_busy(void);

/* A heartbeat from running service s, at now: it counts (moves the hang deadline
 * on) only while s has waited for a request within the last WATCH_BUSY_MS, by the
 * kernel's count of its receives. A server that spins in its loop and still
 * beats (a fault in the loop itself) is found hung, as one that stops beating. */
#define WATCH_BUSY_MS 1000
void watch_beat(struct service *s, uint64_t now);

/* Runs watch_tick() from the timer within a millisecond, after the request being
 * handled has been answered. */
void watch_soon(void);

/* Asks s to fail in the way kind says (SVC_CRASH_*), with a send that never
 * waits: RS_E_BUSY when s is not waiting for a request right now (try again). */
uint64_t watch_crash(struct service *s, uint64_t kind);
