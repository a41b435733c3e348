/* The data store (DS): typed values under names that have owners, for every
 * service RS starts (the rules are in store.h). DS serves <proto/datastore.h> on
 * an endpoint it creates and owns. Once init is done the libsys server framework
 * hands RS that endpoint unbadged (system ready); RS gives each service a copy
 * badged with the service's id (its slot RS_GIVEN_DS) and declares what each
 * badge owns and reads. DS publishes nothing in itself (.publish stays NULL: a
 * call from DS to DS would never be answered). */
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include "handlers.h"

enum { EP = RS_GIVEN_FIRST_FREE, SCRATCH = RS_GIVEN_FIRST_FREE + 1 };

/* Each stored capability and subscription keeps a dynamic slot; the framework
 * needs one more to receive into. */
_Static_assert(DS_ENTRIES_MAX + DS_SUBS_MAX + 1 <= RS_CSPACE_SLOTS - RS_SLOT_DYNAMIC,
               "the store's capabilities must fit in the dynamic slots");

static struct ds_store store;

static int start(void *state)
{
    struct ds_env env = ds_kernel_env(SCRATCH);
    ds_init(state, &env);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)) {
        rs_error("cannot create my endpoint");
        return 1;
    }
    rs_info("serving: %d entries (%d per owner), values of %d bytes, %d subscriptions",
            DS_ENTRIES_MAX, DS_OWNER_SHARE, DS_VALUE_MAX, DS_SUBS_MAX);
    return 0;
}

/* Nothing survives DS's death in this milestone: start empty, RS declares again. */
static int restart(void *state)
{
    rs_warn("restarted: the store starts empty (nothing was kept)");
    return start(state);
}

int main(void)
{
    static const struct rs_server server = {
        .name = "ds",
        .endpoint = EP,
        .handlers = ds_handlers,
        .nhandlers = DATASTORE_LABELS,
        .state = &store,
        .init_fresh = start,
        .init_restart = restart,
    };
    return rs_server_run(&server);
}
