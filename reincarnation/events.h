/* RS's event log: one machine-readable line per failure, restart and refusal, on
 * a channel apart from the console (QEMU's debug console, I/O port 0xE9: run QEMU
 * with `-debugcon file:PATH`), and as an info line on the kernel log.
 *
 * A line is one JSON object (docs/watch-a-driver-die.md lists the fields):
 *   {"t_us":1234,"event":"restart","service":"uart","incarnation":3,
 *    "reason":"crash","detect_us":41,"recover_us":873,"detail":"..."}
 * t_us is guest time since boot; a latency that is not known is null. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define EVENT_UNKNOWN (-1)
#define EVENT_LINE_MAX 320

struct event {
    const char *event;          /* failure, restart, start, stop, degraded, refused ... */
    const char *service;
    unsigned incarnation;
    const char *reason;         /* NULL: none */
    int64_t detect_us;          /* failure to its detection by RS, or EVENT_UNKNOWN */
    int64_t recover_us;         /* detection to the new incarnation's ready */
    const char *detail;         /* free text, NULL: none */
};

/* Formats e at time t_us as one line ending in '\n' into buf (pure); returns its
 * length, at most size - 1 (a line that does not fit is cut and still closed). */
size_t event_format(const struct event *e, uint64_t t_us, char *buf, size_t size);

/* Writes e to the event channel and the kernel log (RS only: needs port 0xE9). */
void event_emit(const struct event *e);

/* Takes the debug-console port; without it events go to the kernel log only. */
void event_channel_open(uint64_t platform_slot, uint64_t ports_slot);
