/* Calendar arithmetic for the real-time clock: pure, unit-tested. */
#pragma once
#include <stdint.h>

/* Seconds since 1970-01-01 00:00:00 UTC of a date and time in the proleptic
 * Gregorian calendar (year >= 1970, month 1-12, day 1-31); 0 when out of range. */
uint64_t civil_to_unix(unsigned year, unsigned month, unsigned day, unsigned hour,
                       unsigned minute, unsigned second);

/* A CMOS RTC register value in BCD (the usual mode) as binary. */
static inline unsigned civil_bcd(unsigned v)
{
    return (v >> 4) * 10 + (v & 15);
}
