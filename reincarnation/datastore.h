/* RS's side of the data store: declaring what each service owns and may read. */
#pragma once
#include <stdint.h>

/* Declares every service to the data store whose unbadged endpoint is in ds_slot
 * (after DS started or restarted: DS keeps no declarations across its own death).
 * Not from DS's own ready call (DS waits for RS's answer: a deadlock), so it is
 * only noted here and done by datastore_declare_pending(), from RS's timer.
 * Each call is bounded in time (DECLARE_TIMEOUT_MS): a hung DS cannot stall RS
 * for more than that per service. */
void datastore_declare_later(uint64_t ds_slot);

/* Does a noted declaration; returns whether there was one. */
int datastore_declare_pending(void);
