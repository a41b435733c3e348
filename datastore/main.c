/* The data store (DS): typed values under names that have owners, for every
 * service RS starts (the rules are in store.h). DS serves <proto/datastore.h> on
 * an endpoint it creates and owns. Once init is done the libsys server framework
 * hands RS that endpoint unbadged (system ready); RS gives each service a copy
 * badged with the service's id (its slot RS_GIVEN_DS) and declares what each
 * badge owns and reads. DS publishes nothing in itself (.publish stays NULL: a
 * call from DS to DS would never be answered). Its contents outlive it: see
 * keep.c. */
#include <rs_libc.h>
#include <rs_log.h>
#include <rs_service.h>
#include "handlers.h"
#include "keep.h"

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

/* A new incarnation: the store as the last one answered it, from the keep frame
 * (keep.c); RS declares every service again (which changes nothing then). */
static int restart(void *state)
{
    struct ds_env env = ds_kernel_env(SCRATCH);
    struct ds_store *s = state;
    int kept = keep_load(s, &env);
    if (kept < 0)
        rs_error("the kept store is corrupt: starting empty");
    else if (!kept)
        rs_warn("restarted: nothing was kept, the store starts empty");
    if (kept <= 0)
        return start(state);
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0)) {
        rs_error("cannot create my endpoint");
        return 1;
    }
    rs_info("restarted with the kept store: %u entries, %u subscriptions", s->nentries,
            s->nsubs);
    return 0;
}

static void commit(void *state)
{
    keep_save(state);
}

int main(void)
{
    if (keep_open())
        rs_warn("no keep frame: the store will not outlive this incarnation");
    static const struct rs_server server = {
        .name = "ds",
        .endpoint = EP,
        .handlers = ds_handlers,
        .nhandlers = DATASTORE_LABELS,
        .state = &store,
        .init_fresh = start,
        .init_restart = restart,
        .commit = commit,
    };
    return rs_server_run(&server);
}
