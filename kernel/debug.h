/* Debug operations on a task (RS_RIGHT_DEBUG; see debug.c and calls.tbl). */
#pragma once
#include <stdint.h>
#include "err.h"

struct thread;
struct task;

/* Whether op is one of the RS_OP_TASK_DEBUG_* operations. */
int debug_is_op(uint64_t op);

/* Runs debug operation op on task t for the calling thread self (arguments and
 * results in self's registers). */
err_t debug_op(struct thread *self, struct task *t, uint64_t op);
