/* Access to user memory by walking the task's page tables: the kernel never
 * dereferences a user pointer. Every byte must be mapped user-accessible (and
 * writable, for writes) or the call fails with E_FAULT having copied a prefix. */
#pragma once
#include <stdint.h>
#include "err.h"

struct task;

err_t user_read(struct task *t, uint64_t src, void *dst, uint64_t n);
err_t user_write(struct task *t, uint64_t dst, const void *src, uint64_t n);
/* Copies n bytes from st's memory at src to dt's memory at dst. */
err_t user_copy(struct task *dt, uint64_t dst, struct task *st, uint64_t src, uint64_t n);
/* As user_copy, for a debugger writing into its target dt: a destination page may
 * also be one of dt's own program pages that is mapped read-only (its text). */
err_t user_copy_debug(struct task *dt, uint64_t dst, struct task *st, uint64_t src,
                      uint64_t n);
