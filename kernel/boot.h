/* Starting the first user task (the root task) from the boot modules. */
#pragma once
#include "bootinfo.h"
#include "uapi/resurgo/objects.h"

struct task;
struct quota;
struct cspace;

/* Creates the root task from the module named by `root=NAME` on the command line
 * (default "rs"), gives it the platform capability and all free memory as its
 * quota, and starts it. Returns E_NOENT when there is no such module. */
err_t boot_start_root(const struct boot_info *bi);

/* Called when any task dies; with `exit=root` on the command line, the root
 * task's end ends QEMU (success when it exited with status 0). */
void boot_task_ended(struct task *t);

/* Longest argument string a spawner may pass (it goes on the new task's stack). */
#define BOOT_ARGS_MAX RS_ARGS_MAX

/* Creates a task from boot module `index`, charged to (a child quota of `bytes`
 * from) q, owned by owner, with argument string `args` (NULL: the module's own
 * from the boot configuration); the new task's capability, with every right,
 * goes to dst in cs. Checks everything first: on error nothing is left behind. */
err_t boot_spawn(unsigned index, struct quota *q, uint64_t bytes, unsigned prio,
                 const char *args, struct task *owner, struct cspace *cs, uint64_t dst,
                 struct task **out);
