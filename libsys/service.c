/* What every component RS starts gets from libsys (see rs_service.h): before
 * main(), a way back to the data store after it restarts (a capability-fault
 * handler for RS_GIVEN_DS that asks RS for a new capability); and look-ups. */
#include <string.h>
#include <proto/datastore.h>
#include <proto/system.h>
#include <rs_capfault.h>
#include <rs_server.h>
#include <rs_service.h>
#include <rsys.h>
#include "rs_libc.h"

#define READY_TIMEOUT_MS 1000

static int find_datastore(uint64_t fresh, void *ctx)
{
    (void)ctx;
    return system_ds(RS_GIVEN_SYSTEM, fresh) ? -1 : 0;
}

void rs_service_init(void)
{
    if (rs_supervised())
        rs_capfault_register(RS_GIVEN_DS, find_datastore, 0);
}

uint64_t rs_lookup(const char *name, uint64_t slot)
{
    rs_cap_delete(slot);
    return datastore_retrieve_cap(RS_GIVEN_DS, name, strlen(name), slot);
}

static int lookup_again(uint64_t fresh, void *name)
{
    return rs_lookup(name, fresh) ? -1 : 0;
}

uint64_t rs_lookup_recovering(const char *name, uint64_t slot)
{
    uint64_t e = rs_lookup(name, slot);
    if (!e && rs_capfault_register(slot, lookup_again, (void *)name))
        e = RS_E_QUOTA;             /* the handler table is full */
    return e;
}

uint64_t rs_lookup_wait(const char *name, uint64_t slot, uint64_t ms)
{
    uint64_t e, waited = 0;
    while ((e = rs_lookup(name, slot)) && waited < ms) {
        rs_sleep(10);
        waited += 10;
    }
    return e;
}

uint64_t rs_service_ready(void)
{
    struct rs_msg m = { .info = SYSTEM_READY };
    uint64_t e = rs_supervised() ? rs_call(RS_GIVEN_SYSTEM, &m, READY_TIMEOUT_MS) : 0;
    return e ? e : RS_MSG_LABEL(m.info);
}

uint64_t rs_service_wait_running(const char *name, uint64_t ms)
{
    uint64_t st = 0, inc, fails, restarts;
    for (uint64_t waited = 0;; waited += 5) {
        if (system_svc_info(RS_GIVEN_SYSTEM, name, strlen(name), &st, &inc, &fails, &restarts))
            return 0;
        if (st == RS_SVC_RUNNING || waited >= ms)
            return st;
        rs_sleep(5);
    }
}
