/* A server that owns its endpoint (so the endpoint dies with it). It creates the
 * endpoint, hands a capability to it to whoever serves the bootstrap endpoint in
 * slot 8 (by a call carrying the capability), then serves the echo protocol:
 * label 1 ECHO replies w0+1; label 2 HANG never answers (the reply is saved). */
#include <rsys.h>

enum { BOOT = 8, EP = 9, SAVED = 20 };

int main(void)
{
    if (rs_create(RS_SLOT_QUOTA, RS_OBJ_ENDPOINT, EP, 0))
        return 1;
    struct rs_ipc_extra x = { .send_cap = EP };
    struct rs_msg m = { .info = 1 | RS_MSG_CAP };
    if (rs_call_x(BOOT, &m, RS_TIMEOUT_FOREVER, &x))
        return 2;
    uint64_t e = rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER), saved = SAVED;
    for (;;) {
        if (e)
            return 3;
        if (RS_MSG_LABEL(m.info) == 2) {
            rs_reply_save(saved++);
            e = rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER);
            continue;
        }
        m.w[0]++;
        m.info = 0;
        e = rs_reply_recv(EP, &m, 0, RS_TIMEOUT_FOREVER);
    }
}
