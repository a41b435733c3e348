/* A server on the libsys framework, for tests: serves slot 8; label 1 ADD replies
 * w0 + w1; label 2 INCARNATION replies with which init ran (1 fresh, 2 restart);
 * label 3 LATER answers on the next request (a deferred reply). */
#include <rs_server.h>

static uint64_t init_ran;
static uint64_t later;              /* a deferred reply, or 0 */

static uint32_t add(struct rs_request *r, void *s)
{
    (void)s;
    r->reply.w[0] = r->req.w[0] + r->req.w[1];
    if (later) {
        struct rs_msg m = { .w = { 77 } };
        rs_server_answer(later, 0, &m, 0, 0);
        later = 0;
    }
    return 0;
}

static uint32_t incarnation(struct rs_request *r, void *s)
{
    (void)s;
    r->reply.w[0] = init_ran;
    return 0;
}

static uint32_t answer_later(struct rs_request *r, void *s)
{
    (void)r, (void)s;
    later = rs_server_defer();
    return later ? RS_SERVER_DEFERRED : RS_E_NOMEM;
}

static int fresh(void *s) { (void)s; init_ran = 1; return 0; }
static int restart(void *s) { (void)s; init_ran = 2; return 0; }

static const rs_handler_fn handlers[4] = { [1] = add, [2] = incarnation, [3] = answer_later };

int main(void)
{
    static const struct rs_server server = {
        .name = "fwsrv", .endpoint = 8, .handlers = handlers, .nhandlers = 4,
        .init_fresh = fresh, .init_restart = restart,
    };
    return rs_server_run(&server);
}
