/* The PC's CMOS real-time clock. */
#pragma once
#include <stdint.h>

/* The RTC's time as Unix seconds (UTC, as QEMU keeps it), 0 if it is unreadable. */
uint64_t rtc_unix_time(void);

/* The RTC's time when the 1 ms clock started (read once at boot by kmain). */
extern uint64_t rtc_boot_unix;
