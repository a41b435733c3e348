/* Lazy FPU/SSE state switching: a thread's state is loaded on its first FPU
 * instruction after a switch (#NM with CR0.TS set). */
#pragma once
#include <stdint.h>

struct thread;

/* Called when th is about to run: sets CR0.TS unless th owns the FPU. */
void fpu_prepare(struct thread *th);
/* #NM handler: saves the owner's state, loads (or initialises) th's. */
void fpu_take(struct thread *th);
/* th is going away: it must no longer own the FPU. */
void fpu_forget(struct thread *th);
