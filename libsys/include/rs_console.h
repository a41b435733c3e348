/* Console modes (the console protocol is generated: <proto/console.h>). */
#pragma once

#define CONSOLE_MODE_LINE 1     /* echo, backspace editing, whole lines to readers */
#define CONSOLE_MODE_RAW  0     /* bytes as they come, no echo */
