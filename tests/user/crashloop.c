/* A service that crashes in its own initialisation, every time: RS must retry it a
 * bounded number of times with growing back-off, then escalate by its policy
 * (never loop, never give up silently). */
#include <rs_log.h>
#include <rs_server.h>

static int init(void *state)
{
    (void)state;
    rs_panic("crashing during initialisation, as always");
}

int main(void)
{
    static const struct rs_server server = {
        .name = "crashloop", .endpoint = 12, .init_fresh = init, .init_restart = init,
    };
    return rs_server_run(&server);
}
