/* The demonstration counter server: `add` and `get` (<proto/counter.h>). Its count
 * lives in the data store ("counter.count", private to it) as well: an addition
 * is stashed there before it is answered, and a new incarnation starts from the
 * stashed value. So no confirmed addition is ever lost to a crash; one that was
 * stashed but not answered is the client's "outcome unknown". */
#include <proto/datastore.h>
#include <proto/counter.h>
#include <rs_ds.h>
#include <rs_invoke.h>
#include <rs_log.h>
#include <rs_server.h>
#include <rs_service.h>

enum { EP = RS_GIVEN_FIRST_FREE };

static const char key[] = "counter.count";
static uint64_t count;

static uint64_t stash(uint64_t value)
{
    return datastore_publish(RS_GIVEN_DS, DS_INT, value, key, sizeof key);  /* with NUL */
}

static uint32_t add_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e = stash(count + r->req.w[0]);
    if (e)
        return (uint32_t)e;     /* not stashed: not added */
    count += r->req.w[0];
    r->reply.w[0] = count;
    return 0;
}

static uint32_t get_handler(struct rs_request *r, void *state)
{
    (void)state;
    r->reply.w[0] = count;
    return 0;
}

static int fresh(void *state)
{
    (void)state;
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : (int)stash(0);
}

static int restart(void *state)
{
    (void)state;
    uint64_t type = 0;
    uint64_t e = datastore_retrieve(RS_GIVEN_DS, key, sizeof key - 1, 0, 0, 0, &type, &count);
    if (e || type != DS_INT) {
        rs_error("no stashed count (error %lu): starting from 0", e);
        count = 0;
    }
    rs_info("restarted with count %lu", count);
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[COUNTER_LABELS] = {
    [COUNTER_ADD] = add_handler,
    [COUNTER_GET] = get_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "counter", .publish = "counter", .endpoint = EP,
        .handlers = handlers, .nhandlers = COUNTER_LABELS,
        .init_fresh = fresh, .init_restart = restart,
    };
    return rs_server_run(&server);
}
