/* Benchmark server: answers every call on slot 8 with its first word plus one.
 * Argument "buffer": also sends back the buffer that came with the call (same
 * length). Argument "save": answers through a saved reply capability (reply-save,
 * send on the reply, delete it, receive again). Argument "hold": receives one
 * call and never answers it (its caller waits until this server dies). Argument
 * "session": gives the first caller a session region (one page), so each call
 * after maps it and each reply unmaps it. */
#include <string.h>
#include <rs_session.h>
#include "bench.h"

enum { EP = 8, REPLY = 20 };

static uint8_t buf[RS_BUFFER_MAX];

static void serve_buffers(uint64_t w)
{
    struct rs_ipc_extra x = { .send_buf = (uint64_t)buf, .recv_buf = (uint64_t)buf,
                              .recv_max = sizeof buf };
    for (;;) {
        x.send_len = x.recv_len;
        struct rs_regs r = { .slot = EP, .info = RS_MSG_BUFFER, .w = { w + 1 },
                             .timeout = RS_TIMEOUT_FOREVER, .extra = &x };
        rs_syscall(RS_SYS_REPLY_RECV, &r);
        w = r.w[0];
    }
}

static void serve_saved(uint64_t w)
{
    struct rs_msg m;
    for (;;) {
        rs_reply_save(REPLY);
        m = (struct rs_msg){ .info = 0, .w = { w + 1 } };
        rs_send(REPLY, &m, RS_TIMEOUT_FOREVER);
        rs_cap_delete(REPLY);
        rs_recv(EP, &m, 0, RS_TIMEOUT_FOREVER);
        w = m.w[0];
    }
}

int main(int argc, char **argv)
{
    struct rs_msg m;
    struct rs_ipc_extra x = { .recv_buf = (uint64_t)buf, .recv_max = sizeof buf };
    int session = argc > 1 && !strcmp(argv[1], "session");
    if (session && rs_session_window())
        return 2;
    if (rs_recv_x(EP, &m, 0, RS_TIMEOUT_FOREVER, &x))
        return 1;
    if (session && !rs_session_open(1, 0))
        return 3;
    if (argc > 1 && !strcmp(argv[1], "buffer"))
        serve_buffers(m.w[0]);
    if (argc > 1 && !strcmp(argv[1], "save"))
        serve_saved(m.w[0]);
    if (argc > 1 && !strcmp(argv[1], "hold"))
        for (;;)
            rs_sleep(RS_TIMEOUT_FOREVER);
    uint64_t w = m.w[0];
    for (;;)
        w = bench_reply_recv(EP, w + 1);
}
