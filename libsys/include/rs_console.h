/* Console modes (the console protocol is generated: <proto/console.h>). */
#pragma once

#define CONSOLE_MODE_LINE 1     /* echo, backspace editing, whole lines to readers */
#define CONSOLE_MODE_RAW  0     /* bytes as they come, no echo */

/* The line discipline's contract (drivers/uart/uart.h documents it): lines of at
 * most CONSOLE_LINE_MAX characters; an over-long one arrives as this marker. */
#ifndef CONSOLE_LINE_MAX
#define CONSOLE_LINE_MAX 255
#define CONSOLE_LINE_TOO_LONG "\x18\n"
#endif

#include <stddef.h>
#include <stdint.h>

/* The end-to-end check of a write: the driver answers with the FNV-1a sum of the
 * bytes it gave the transmitter, and the client compares it with its own of what
 * it asked to write, so no fault inside the driver (a wrong pointer, a corrupted
 * ring) can print something else unnoticed. */
#define CONSOLE_SUM_BASIS 2166136261u

static inline uint32_t console_sum(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

/* console_write, checked end to end: 0 when the driver sent exactly p[0..n);
 * RS_E_FORMAT when it says it sent something else (count or sum); else the
 * call's error. *done (if not NULL): the count it gave. */
uint64_t rs_console_write(uint64_t ep, const void *p, size_t n, uint64_t *done);
