/* Checks for user-mode test programs: each failed check prints one line with the
 * file, line and expression; check_done() prints the verdict and returns the exit
 * status (0 only if every check passed and at least one ran). */
#pragma once
#include <rsys.h>

extern int check_failures, check_count;

#define CHECK(cond) do { check_count++; if (!(cond)) { check_failures++; \
    rs_printf("CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)

/* expr must return the error code `want`. */
#define CHECK_ERR(expr, want) do { uint64_t got_ = (expr); check_count++; \
    if (got_ != (uint64_t)(want)) { check_failures++; \
    rs_printf("CHECK FAILED %s:%d: %s returned %lu, expected %lu\n", __FILE__, __LINE__, \
              #expr, got_, (uint64_t)(want)); } } while (0)

#define CHECK_OK(expr) CHECK_ERR(expr, RS_OK)

int check_done(const char *name);

/* Spawns boot module `name` as a task in slot dst with a quota of `bytes` and
 * priority prio (not started). Returns the task id, or 0 on failure. */
uint64_t spawn(const char *name, uint64_t dst, uint64_t bytes, uint64_t prio);
/* As spawn, with the argument string `args` from the spawner (NULL: the boot
 * configuration's). */
uint64_t spawn_args(const char *name, uint64_t dst, uint64_t bytes, uint64_t prio,
                    const char *args);

/* Makes the endpoint in ep, minted with `badge`, the supervisor of task. */
uint64_t set_supervisor(uint64_t task, uint64_t ep, uint64_t badge);
