/* The periodic timer (PIT channel 0 on IRQ 0). */
#pragma once
#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
/* Ticks since timer_init(). */
uint64_t timer_ticks(void);
