/* Message transfer between threads (internal to IPC). */
#pragma once
#include <stdint.h>
#include "cap.h"
#include "thread.h"

/* Sender-side check of a message's optional parts before anything changes:
 * E_FAULT (unreadable rs_ipc_extra), E_RANGE (buffer too long), E_RIGHTS (a
 * capability over an endpoint without GRANT), E_NOCAP (nothing in send_cap). */
err_t ipc_check_extra(struct thread *th, const struct cap *via, int need_grant);

/* E_INVAL when th's message label is one the kernel reserves for its notices. */
err_t ipc_check_label(const struct thread *th);

/* Copies s's message (or its kernel-made message) to r's registers with badge;
 * r's RAX becomes E_OK. */
void ipc_deliver(struct thread *s, struct thread *r, uint64_t badge);
