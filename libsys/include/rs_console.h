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
