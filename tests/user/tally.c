/* tally: a test server for damaged session regions (service case
 * damaged_session_region_reported). A total per client, in its session region
 * (rs_server .session_state); `damage` is the fault the test needs: it flips a
 * bit of the caller's committed state, as a wild write of a broken server would,
 * and crashes, so that the next incarnation finds the region inconsistent. */
#include <proto/tally.h>
#include <rs_server.h>
#include <rs_session.h>
#include <rs_service.h>
#include <rsys.h>

enum { EP = RS_GIVEN_FIRST_FREE };

struct tally_session {
    uint64_t total;
};

static uint32_t add_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint64_t e = rs_server_session_open(r);
    if (e)
        return (uint32_t)e;
    struct tally_session *s = r->session;
    s->total += r->req.w[0];
    r->reply.w[0] = s->total;
    return 0;
}

static uint32_t get_handler(struct rs_request *r, void *state)
{
    (void)state;
    const struct tally_session *s = r->session;
    if (!s)
        return RS_E_NOENT;
    r->reply.w[0] = s->total;
    return 0;
}

static uint32_t damage_handler(struct rs_request *r, void *state)
{
    (void)state;
    uint8_t *committed = r->txn.committed;
    if (!committed)
        return RS_E_NOENT;
    committed[sizeof(struct rs_session_header) + sizeof(struct rs_session_record)] ^= 0x10;
    __builtin_trap();
}

static int start(void *state)
{
    (void)state;
    return rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0) ? 1 : 0;
}

static const rs_handler_fn handlers[TALLY_LABELS] = {
    [TALLY_ADD] = add_handler, [TALLY_GET] = get_handler, [TALLY_DAMAGE] = damage_handler,
};

int main(void)
{
    static const struct rs_server server = {
        .name = "tally", .publish = "tally", .endpoint = EP,
        .handlers = handlers, .nhandlers = TALLY_LABELS,
        .init_fresh = start, .init_restart = start,
        .session_state = sizeof(struct tally_session), .session_version = 1,
        .session_pages = 1,
    };
    return rs_server_run(&server);
}
