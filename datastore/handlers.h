/* The data store's request handlers: each turns one call of <proto/datastore.h>
 * into a call on the store (store.h), and the store's window on the kernel. */
#pragma once
#include <proto/datastore.h>
#include <rs_server.h>
#include "store.h"

/* The handler table; each handler's state is the struct ds_store. */
extern const rs_handler_fn ds_handlers[DATASTORE_LABELS];

/* Capabilities, notifications, the log and the clock through system calls.
 * retrieve_cap sends its copy from scratch_slot, an empty slot of DS's own. */
struct ds_env ds_kernel_env(uint64_t scratch_slot);
