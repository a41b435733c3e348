/* Declarations to the data store (see datastore.h). The text format is DS's:
 * "name\nowned names\nread patterns" (datastore/store.h). */
#include <stdio.h>
#include <proto/datastore.h>
#include <rs_log.h>
#include <rsys.h>
#include "datastore.h"
#include "service.h"

#define DECLARE_TIMEOUT_MS 20

static uint64_t pending_slot;

static uint64_t declare(uint64_t ds_slot, const struct service *s)
{
    char text[256];
    int n = snprintf(text, sizeof text, "%s\n%s\n%s", s->def->name,
                     s->def->owns ? s->def->owns : "", s->def->reads ? s->def->reads : "");
    if (n < 0 || n >= (int)sizeof text)
        return RS_E_RANGE;
    struct rs_msg m = { .info = DATASTORE_DECLARE | RS_MSG_BUFFER, .w = { s->index + 1 } };
    struct rs_ipc_extra x = { .send_buf = (uint64_t)text, .send_len = (uint64_t)n };
    uint64_t e = rs_call_x(ds_slot, &m, DECLARE_TIMEOUT_MS, &x);
    return e ? e : RS_MSG_LABEL(m.info);
}

void datastore_declare_later(uint64_t ds_slot)
{
    pending_slot = ds_slot;
}

int datastore_declare_pending(void)
{
    uint64_t ds_slot = pending_slot;
    if (!ds_slot)
        return 0;
    pending_slot = 0;
    for (unsigned i = 0; i < service_count(); i++) {
        uint64_t e = declare(ds_slot, service_at(i));
        if (e == RS_E_CAPFAULT || e == RS_E_NOCAP) {
            rs_warn("the data store died before the declarations were done; its next "
                    "incarnation is declared everything again when it is ready");
            break;
        }
        if (e)
            rs_error("cannot declare %s to the data store (error %lu)",
                     service_at(i)->def->name, e);
    }
    return 1;
}
