/* Operations of RS_SYS_INVOKE, per object kind (RSI), are numbered in calls.tbl.
 * Arguments are message words a0..a5 (RDX R10 R8 R9 R12 R13); results come back in
 * the same registers. Every operation decodes and checks all arguments before it
 * changes anything. */
#pragma once

#include <resurgo/calls.h>      /* RS_OP_*: generated from calls.tbl */

#define RS_MAP_WRITE 1u
#define RS_MAP_EXEC  2u

#define RS_PRIORITIES 32          /* 0 lowest .. 31 highest */

enum rs_task_state {
    RS_TASK_NEW = 0, RS_TASK_RUNNING = 1, RS_TASK_FAULTED = 2, RS_TASK_DEAD = 3,
};
