/* The periodic timer (PIT channel 0 on IRQ 0) at 1 kHz: the scheduler's tick and
 * the 1 ms resolution of every timeout and timer object. */
#pragma once
#include <stdint.h>

#define TIMER_HZ 1000

/* Programs the PIT and measures the TSC frequency against it (interrupts must be
 * enabled by the caller right after; timer_calibrate then needs them on). */
void timer_init(void);
void timer_calibrate(void);
/* Ticks since timer_init(). */
uint64_t timer_ticks(void);
/* TSC ticks per second, measured against the PIT at boot (0 before that). */
uint64_t timer_tsc_hz(void);
