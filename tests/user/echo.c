/* Echo server for IPC tests. Receives on slot 8. Labels:
 *   1 ECHO: replies w0+1, w1 = the caller's badge, w2..w5 unchanged
 *   2 HANG: never replies to this caller (keeps it blocked)
 *   3 EXIT: replies, then exits
 *   4 REVERSE: replies with the received buffer reversed (buffer transfer)
 *   5 SIGNAL: signals the notification capability that came with the message */
#include <rsys.h>

#define EP 8
#define RECV_CAP 9

static char buf[RS_BUFFER_MAX];

int main(void)
{
    struct rs_msg m;
    uint64_t badge;
    struct rs_ipc_extra x = { .recv_buf = (uint64_t)buf, .recv_max = sizeof buf,
                              .recv_cap = RECV_CAP };
    uint64_t e = rs_recv_x(EP, &m, &badge, RS_TIMEOUT_FOREVER, &x);
    for (;;) {
        if (e) {
            rs_printf("echo: receive failed with error %lu\n", e);
            return 1;
        }
        uint32_t label = RS_MSG_LABEL(m.info);
        if (label == 2) {
            rs_reply_save(20);          /* keep the caller waiting, answer never */
            e = rs_recv_x(EP, &m, &badge, RS_TIMEOUT_FOREVER, &x);
            continue;
        }
        struct rs_msg r = m;
        r.info = 0;
        if (label == 1) {
            r.w[0] = m.w[0] + 1;
            r.w[1] = badge;
        } else if (label == 3) {
            rs_reply(&r);
            return 0;
        } else if (label == 4) {
            uint64_t n = x.recv_len;
            for (uint64_t i = 0; i < n / 2; i++) {
                char t = buf[i];
                buf[i] = buf[n - 1 - i];
                buf[n - 1 - i] = t;
            }
            x.send_buf = (uint64_t)buf;
            x.send_len = n;
            r.info = RS_MSG_BUFFER;
        } else if (label == 5) {
            r.w[0] = x.recv_cap_received;
            if (x.recv_cap_received) {
                rs_signal(RECV_CAP, m.w[0]);
                rs_cap_delete(RECV_CAP);
            }
        }
        struct rs_regs regs = { .slot = EP, .info = r.info, .timeout = RS_TIMEOUT_FOREVER,
                                .extra = &x };
        for (int i = 0; i < RS_MSG_WORDS; i++)
            regs.w[i] = r.w[i];
        e = rs_syscall(RS_SYS_REPLY_RECV, &regs);
        m.info = regs.info;
        for (int i = 0; i < RS_MSG_WORDS; i++)
            m.w[i] = regs.w[i];
        badge = regs.slot;
    }
}
