/* Lazy FPU/SSE state switching: a thread's state is loaded on its first FPU
 * instruction after a switch (#NM with CR0.TS set). */
#pragma once
#include <stdint.h>

struct thread;

extern struct thread *fpu_owner;       /* whose state the FPU registers hold */
extern int fpu_ts_set;                  /* CR0.TS as last written */

void fpu_set_ts(int on);

/* Called when th is about to run: sets CR0.TS unless th owns the FPU. */
static inline void fpu_prepare(struct thread *th)
{
    int want = th != fpu_owner;
    if (want != fpu_ts_set)
        fpu_set_ts(want);
}
/* #NM handler: saves the owner's state, loads (or initialises) th's. */
void fpu_take(struct thread *th);
/* th is going away: it must no longer own the FPU. */
void fpu_forget(struct thread *th);
