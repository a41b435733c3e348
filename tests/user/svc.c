/* A server that owns its endpoint (so the endpoint dies with it). It creates the
 * endpoint, hands a capability to it to whoever serves the bootstrap endpoint in
 * slot 8 (by a call carrying the capability), then serves the echo protocol:
 * label 1 ECHO replies w0+1; label 2 HANG never answers (the reply is saved);
 * label 3 DROP saves the reply and deletes it (a live server that drops it);
 * label 4 DIE crashes while the caller waits for its reply.
 * With the argument "adopt" it hands the endpoint to the quota in slot 10 first,
 * so the endpoint outlives the server. */
#include <string.h>
#include <rs_invoke.h>
#include <rsys.h>

enum { BOOT = 8, EP = 9, KEEPER = 10, SAVED = 20 };

int main(int argc, char **argv)
{
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0))
        return 1;
    if (argc > 1 && !strcmp(argv[1], "adopt") && rs_quota_adopt(KEEPER, EP))
        return 4;
    struct rs_ipc_extra x = { .send_cap = EP };
    struct rs_msg m = { .info = 1 | RS_MSG_CAP };
    if (rs_call_x(BOOT, &m, RS_TIMEOUT_FOREVER, &x))
        return 2;
    uint64_t e = rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER), saved = SAVED;
    for (;;) {
        if (e)
            return 3;
        uint32_t label = RS_MSG_LABEL(m.info);
        if (label == 2 || label == 3) {
            rs_reply_save(saved);
            if (label == 3)
                rs_cap_delete(saved);       /* DROP: alive, but never answers */
            else
                saved++;
            e = rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER);
            continue;
        }
        if (label == 4) {
            rs_printf("svc: dying while serving a call\n");
            __builtin_trap();               /* DIE: delivered, then a crash */
        }
        m.w[0]++;
        m.info = 0;
        e = rs_reply_recv(EP, &m, 0, RS_TIMEOUT_FOREVER);
    }
}
